package io.arqonbus.server.internal.cron;

/** A job refused because its owner, or the server, holds as many jobs as allowed. */
public final class CronLimitException extends Exception {
    public CronLimitException(String message) {
        super(message, null, false, false);
    }
}
