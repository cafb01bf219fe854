package io.arqonbus.server.internal.webhook;

/** A rule was refused because the server or its owner holds as many rules as allowed. */
public final class WebhookLimitException extends Exception {
    public WebhookLimitException(String message) {
        super(message, null, false, false);
    }
}
