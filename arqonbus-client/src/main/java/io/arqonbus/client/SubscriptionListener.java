package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;

/**
 * Receives one subscription's publications and events, in order, one call at a time, on a
 * thread of the subscription's own (a virtual thread), never on the socket's reader: a slow
 * listener fills only its own bounded buffer.
 */
@FunctionalInterface
public interface SubscriptionListener {
    /** A publication of the channel, with its {@link Envelope#position()} (offset and epoch). */
    void onMessage(Envelope message);

    /** The (re)join succeeded; recovered publications, if any, follow this call. */
    default void onSubscribed(SubscribedEvent event) {
    }

    /** A rejoin could not recover what was missed ({@code recovered: false}). */
    default void onRecoveryFailed(RecoveryFailure failure) {
    }

    /** A publication was dropped because the buffer was full ({@link OverflowPolicy}). */
    default void onOverflow(OverflowEvent event) {
    }

    /** The server refused the join (e.g. {@code AUTHORIZATION_ERROR}); the subscription has ended. */
    default void onError(ArqonBusException error) {
    }
}
