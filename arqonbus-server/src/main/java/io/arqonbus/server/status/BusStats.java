package io.arqonbus.server.status;

/**
 * A read-only snapshot of a running bus's counts, taken when asked for
 * ({@code ArqonBus.stats()}); the same figures {@code /metrics} and {@code GET /status} report.
 * Counts are read one after another without a lock, so under traffic they may be a few
 * publications apart.
 *
 * @param clients                 identified bus clients connected now
 * @param connections             open bus WebSocket connections (including ones not identified yet)
 * @param telemetryConnections    open telemetry WebSocket connections
 * @param rooms                   rooms with at least one channel
 * @param channels                channels
 * @param publications            publications sequenced since start (clients, host, server)
 * @param received                frames received from bus clients since start
 * @param deliveries              envelopes written to bus clients since start
 * @param slowConsumerDisconnects connections closed for not reading fast enough since start
 * @param inProcessSubscriptions  open in-process subscriptions ({@code ArqonBus.subscribe})
 */
public record BusStats(
        int clients,
        int connections,
        int telemetryConnections,
        int rooms,
        int channels,
        long publications,
        long received,
        long deliveries,
        long slowConsumerDisconnects,
        int inProcessSubscriptions) {
}
