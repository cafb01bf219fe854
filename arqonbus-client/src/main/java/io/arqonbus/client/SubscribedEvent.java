package io.arqonbus.client;

import io.arqonbus.protocol.StreamPosition;

/**
 * A (re)join's outcome, told to {@link SubscriptionListener#onSubscribed(SubscribedEvent)} before
 * the recovered publications.
 *
 * @param channelPosition the channel's position at the join (its latest offset and its epoch)
 * @param recoveryAsked   whether the join asked to recover from a position
 * @param recovered       with {@code recoveryAsked}: whether the missed publications follow
 * @param missed          with {@code recoveryAsked}: how many publications the client missed
 * @param resubscribe     {@code false} for the first join, {@code true} after a reconnect
 */
public record SubscribedEvent(StreamPosition channelPosition, boolean recoveryAsked, boolean recovered, long missed,
        boolean resubscribe) {
}
