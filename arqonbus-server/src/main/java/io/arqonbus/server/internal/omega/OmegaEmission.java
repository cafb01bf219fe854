package io.arqonbus.server.internal.omega;

/**
 * An event just emitted and where its broadcast landed.
 *
 * @param event  the event recorded
 * @param offset the broadcast's offset in the lab channel's history, or {@code null} when it has none
 */
public record OmegaEmission(OmegaEvent event, Long offset) {
}
