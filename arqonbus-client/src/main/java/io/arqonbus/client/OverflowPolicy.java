package io.arqonbus.client;

/**
 * What a subscription does when its listener falls behind and its buffer is full. The buffer is
 * bounded ({@link SubscriptionOptions#bufferCapacity()}); the SDK keeps reading the socket in any
 * case, so a slow listener never makes the server close the connection as a slow consumer, and
 * the other subscriptions keep flowing. Every drop is reported to
 * {@link SubscriptionListener#onOverflow(OverflowEvent)} with the position of the dropped
 * publication, so that the application can read it back with {@code history} ({@code since}).
 */
public enum OverflowPolicy {
    /** Drop the oldest buffered publication to make room (a live view: latest wins). */
    DROP_OLDEST,
    /** Drop the publication that does not fit (what is buffered stays in order). */
    DROP_NEWEST
}
