package io.arqonbus.server.hub;

/**
 * The outcome of a join.
 *
 * @param channel the channel joined
 * @param created whether the join created the channel
 * @param joined  whether the session was not a member before
 */
public record JoinResult(BusChannel channel, boolean created, boolean joined) {
}
