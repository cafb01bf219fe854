package io.arqonbus.protocol;

/**
 * The stable error codes that travel in {@code error_code}: the first group in error frames
 * (protocol §6), the second in command replies (protocol §5). Each has a one-line meaning.
 */
public enum ErrorCode {
    /** The frame is not JSON, or not a JSON object. */
    INVALID_JSON("The frame is not a JSON object"),
    /** A field is missing, of the wrong type, or has a value the protocol does not allow. */
    VALIDATION_ERROR("The envelope is not valid"),
    /** A binary frame: only text frames carrying JSON are understood. */
    UNSUPPORTED_FRAME("Binary frames are not supported"),
    /** The message is larger than the server's maximum message size. */
    PAYLOAD_TOO_LARGE("The message is larger than the maximum message size"),
    /** The client sent more than its rate allows. */
    RATE_LIMITED("Too many messages"),
    /** Content inspection found a probable secret and blocked the message. */
    CASIL_POLICY_BLOCKED_SECRET("Blocked: the payload contains a probable secret"),
    /** Content inspection blocked the message for its size. */
    CASIL_POLICY_OVERSIZE("Blocked: the payload is larger than the inspection policy allows"),
    /** The store could not confirm a write. */
    STORAGE_UNAVAILABLE("The store is unavailable"),
    /** A server bug, never a client mistake. */
    INTERNAL_ERROR("Internal server error"),
    /** The command name is not known. */
    UNKNOWN_COMMAND("Unknown command"),
    /** The caller is not allowed to do this. */
    AUTHORIZATION_ERROR("Not allowed"),
    /** The thing named does not exist. */
    NOT_FOUND("Not found"),
    /** The thing exists already, or is in a state that forbids the operation. */
    CONFLICT("Conflict"),
    /** The feature is switched off on this server. */
    FEATURE_DISABLED("Feature disabled"),
    /** The subscription filter is not valid. */
    INVALID_FILTER("Invalid filter"),
    /** The connection has as many subscriptions as it may have. */
    MAX_SUBSCRIBERS("Too many subscriptions"),
    /** The command failed while running. */
    EXECUTION_ERROR("The command failed"),
    /** The requested client id is held by another live connection. */
    CLIENT_ID_TAKEN("The client id is in use by another connection"),
    /** A new channel would pass the bound on channels (in total or for the caller's tenant). */
    CHANNEL_LIMIT("Too many channels");

    private final String meaning;

    ErrorCode(String meaning) {
        this.meaning = meaning;
    }

    /** A one-line human meaning of the code. */
    public String meaning() {
        return meaning;
    }
}
