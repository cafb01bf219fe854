package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;

/**
 * Publications a subscription dropped because its buffer was full. Drops in a row are reported
 * together, before the next publication the listener gets.
 *
 * @param firstDropped the first publication dropped in this run (its {@code position()} says
 *                     where to read the run back with {@code history} {@code since})
 * @param lastDropped  the last one dropped in this run
 * @param dropped      how many were dropped in this run
 * @param droppedTotal how many this subscription has dropped since it was made
 */
public record OverflowEvent(Envelope firstDropped, Envelope lastDropped, long dropped, long droppedTotal) {
}
