package io.arqonbus.server.config;

/** What the server does with a connection whose pending output passes its budget. */
public enum SlowConsumerPolicy {
    /** Close it with close code 4001 (the default). */
    CLOSE,
    /** Keep it, drop the deliveries that do not fit, and count them. */
    DROP
}
