package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.RedisKeys;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.hub.SequencingOutcome;
import io.arqonbus.server.internal.hub.UnpositionedPublication;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One run of {@link ClusterScripts#SEQUENCE} for a publication: its keys and arguments, and its reply read. */
final class SequenceScript {
    private static final byte[] NO_KEY = bytes("-");

    private final RedisKeys keys;
    private final ClusterKeys names;
    private final byte[] maxPerStream;
    private final ClusterMetrics metrics;
    private final String where;
    private final OrderedScriptRuns runs = new OrderedScriptRuns(ClusterScripts.SEQUENCE, sha1(ClusterScripts.SEQUENCE));

    SequenceScript(RedisKeys keys, ClusterKeys names, int maxPerStream, ClusterMetrics metrics, String where) {
        this.keys = keys;
        this.names = names;
        this.maxPerStream = bytes(Integer.toString(maxPerStream));
        this.metrics = metrics;
        this.where = where;
    }

    /**
     * Sequences the publication: one round trip; fails with {@link StoreUnavailableException}.
     *
     * @param header the message header's start, {@code <node>|<sequence number>}
     */
    CompletableFuture<SequencingOutcome> run(StatefulRedisConnection<byte[], byte[]> conn, ChannelKey stream,
            UnpositionedPublication publication, String header) {
        boolean splice = publication.spliceFrom() >= 0;
        byte[] json = publication.json();
        byte[] before = splice ? Arrays.copyOfRange(json, 0, publication.spliceFrom()) : json;
        byte[] after = splice ? Arrays.copyOfRange(json, publication.spliceTo(), json.length) : new byte[0];
        String idempotencyKey = publication.idempotencyKey();
        byte[][] k = {keys.stream(stream), keys.meta(stream),
            idempotencyKey == null ? NO_KEY : names.idempotency(stream, idempotencyKey)};
        byte[][] args = {bytes(publication.proposedEpoch()), maxPerStream, before, after, bytes(splice ? "1" : "0"),
            bytes(idempotencyKey == null ? "0" : Long.toString(Math.max(1, publication.dedupWindow().toMillis()))),
            bytes(names.channel(stream)), bytes(header)};
        long started = System.nanoTime();
        // In order even when Redis restarted and lost its script cache (OrderedScriptRuns).
        return Failures.attempt(() -> runs.run(conn, k, args), error -> StoreUnavailableException.of(where, error))
                .thenApply(reply -> {
                    metrics.published(Duration.ofNanos(System.nanoTime() - started));
                    boolean duplicate = ((Long) reply.get(0)) == 1L;
                    return new SequencingOutcome(new StreamPosition(Long.parseLong(text(reply.get(1))),
                            text(reply.get(2))), duplicate);
                });
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha1(byte[] script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(script));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
