package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * A refused API call: a protocol error code, a sentence, the problems one by one and extra fields, answered
 * as {@code {"error":{"code","message","details"?,…extra}}} with the HTTP status of {@link #statusOf}.
 */
public final class ApiException extends Exception {
    private final transient HttpResponseStatus status;
    private final String code;
    private final List<String> details;
    private final transient ObjectNode extra;

    public ApiException(HttpResponseStatus status, String code, String message, List<String> details,
            ObjectNode extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.extra = extra;
    }

    /** A refusal with the status that goes with {@code code}. */
    public static ApiException of(ErrorCode code, String message) {
        return new ApiException(statusOf(code), code.name(), message, List.of(), null);
    }

    /** A refusal with the status that goes with {@code code}, its problems and extra fields. */
    public static ApiException of(ErrorCode code, String message, List<String> details, ObjectNode extra) {
        return new ApiException(statusOf(code), code.name(), message, details, extra);
    }

    /** A {@code VALIDATION_ERROR} (400) naming one problem. */
    public static ApiException validation(String problem) {
        return of(ErrorCode.VALIDATION_ERROR, "Validation error: " + problem, List.of(problem), null);
    }

    /** 401 {@code UNAUTHORIZED}. */
    public static ApiException unauthorized(String message) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "UNAUTHORIZED", message, List.of(), null);
    }

    /** 403 {@code AUTHORIZATION_ERROR}. */
    public static ApiException forbidden(String message) {
        return of(ErrorCode.AUTHORIZATION_ERROR, message);
    }

    /**
     * The HTTP status of a protocol error code: validation 400, authorization 403, not found 404, conflict 409,
     * too large 413, CASIL blocks 422, rate and channel limits 429, store down 503, the rest 500.
     */
    public static HttpResponseStatus statusOf(ErrorCode code) {
        return switch (code) {
            case INVALID_JSON, VALIDATION_ERROR, UNSUPPORTED_FRAME, UNKNOWN_COMMAND, INVALID_FILTER ->
                    HttpResponseStatus.BAD_REQUEST;
            case AUTHORIZATION_ERROR -> HttpResponseStatus.FORBIDDEN;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case CONFLICT, CLIENT_ID_TAKEN -> HttpResponseStatus.CONFLICT;
            case PAYLOAD_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case CASIL_POLICY_BLOCKED_SECRET, CASIL_POLICY_OVERSIZE -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
            case RATE_LIMITED, CHANNEL_LIMIT, MAX_SUBSCRIBERS -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case STORAGE_UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case FEATURE_DISABLED -> HttpResponseStatus.NOT_IMPLEMENTED;
            case INTERNAL_ERROR, EXECUTION_ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The error code. */
    public String code() {
        return code;
    }

    /** The {@code error} object of the answer. */
    public ObjectNode errorJson() {
        ObjectNode error = HttpAnswer.object();
        error.put("code", code);
        error.put("message", getMessage());
        if (!details.isEmpty()) {
            details.forEach(error.putArray("details")::add);
        }
        if (extra != null) {
            error.setAll(extra);
        }
        return error;
    }

    /** The answer. */
    public HttpAnswer answer() {
        ObjectNode body = HttpAnswer.object();
        body.set("error", errorJson());
        HttpAnswer answer = HttpAnswer.json(status, body);
        return status.equals(HttpResponseStatus.UNAUTHORIZED)
                ? answer.withHeader("WWW-Authenticate", "Bearer realm=\"arqonbus\"") : answer;
    }
}
