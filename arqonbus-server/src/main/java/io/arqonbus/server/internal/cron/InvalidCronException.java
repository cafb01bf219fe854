package io.arqonbus.server.internal.cron;

/** A cron expression that cannot be used; the message is a sentence naming the faulty field. */
public final class InvalidCronException extends Exception {
    private final String field;

    public InvalidCronException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The field at fault ({@code second}, {@code minute}, … or {@code expression} for the whole). */
    public String field() {
        return field;
    }
}
