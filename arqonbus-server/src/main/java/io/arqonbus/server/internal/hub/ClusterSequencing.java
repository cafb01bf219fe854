package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * How the hub hands publications to a {@link Broker} that sequences them (a cluster): the envelope
 * is encoded once with a placeholder position, whose place in the JSON the broker is told, and
 * the outcome the broker reports becomes the {@link Publication}'s.
 */
final class ClusterSequencing {
    private ClusterSequencing() {
    }

    /**
     * A channel publication: stamped with the sender, encoded with the placeholder position (the
     * channel's epoch as this node knows it), sequenced. For a stream the shared store does not
     * hold, the node proposes its channel's epoch while that is its own (so members who joined the
     * new channel keep a valid position), and a fresh one once it had learnt the epoch from the
     * store (the store lost the stream: it starts again in an epoch no client has seen).
     */
    static Publication channel(ChannelSupport support, BusChannel channel, Envelope envelope, String senderId,
            Session sender, boolean mustStore, String idempotencyKey, String knownEpoch, boolean shared) {
        ChannelKey key = channel.key();
        Envelope unpositioned = envelope.toBuilder().sender(senderId).position(null).build();
        byte[] json = support.encoder().json(unpositioned.toBuilder()
                .position(new StreamPosition(0, knownEpoch)).build());
        int[] splice = placeholder(json, knownEpoch);
        support.publications().incrementAndGet();
        CompletableFuture<SequencingOutcome> outcome = sequence(support, key, new UnpositionedPublication(
                unpositioned, json, splice[0], splice[1], shared ? freshEpoch() : knownEpoch, sender, idempotencyKey,
                support.dedupWindow(), mustStore));
        CompletableFuture<Boolean> repeated = new CompletableFuture<>();
        CompletableFuture<StreamPosition> stored = new CompletableFuture<>();
        outcome.whenComplete((done, error) -> {
            if (error != null) {
                support.metrics().storeAppendFailed();
                repeated.complete(false);
                stored.completeExceptionally(error instanceof StoreUnavailableException ? error
                        : new StoreUnavailableException(String.valueOf(error.getMessage()), error));
                return;
            }
            if (done.duplicate()) {
                support.metrics().duplicatePublication();
            }
            if (!done.duplicate() && !done.heard()) {
                // Not subscribed here (no member): the channel's info still shows what this node accepted.
                channel.accepted(done.position());
                support.unheard().published(unpositioned.toBuilder().position(done.position()).build(), sender);
            }
            repeated.complete(done.duplicate());
            stored.complete(done.position());
        });
        return new Publication(unpositioned, stored, false, repeated);
    }

    /** A room broadcast: no position in its JSON; its place in the room-wide stream stays internal. */
    static void room(ChannelSupport support, ChannelKey stream, Envelope stamped, Session sender) {
        support.publications().incrementAndGet();
        sequence(support, stream, new UnpositionedPublication(stamped, support.encoder().json(stamped), -1, -1,
                freshEpoch(), sender, null, support.dedupWindow(), false))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        support.metrics().storeAppendFailed();
                    } else if (!done.duplicate() && !done.heard()) {
                        support.unheard().published(stamped, sender);
                    }
                });
    }

    /** Eight hex digits, like the epochs a single node makes. */
    private static String freshEpoch() {
        return String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt());
    }

    private static CompletableFuture<SequencingOutcome> sequence(ChannelSupport support, ChannelKey key,
            UnpositionedPublication publication) {
        try {
            return support.broker().sequence(key, publication);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Where {@code 0,"epoch":"<epoch>"} of the position stands: the last {@code "offset":0,"epoch":…}
     * of the JSON, for the position is written last in {@code metadata}, and nothing after
     * {@code metadata} holds an unescaped quote but the strings' own.
     */
    static int[] placeholder(byte[] json, String epoch) {
        byte[] marker = ("\"offset\":0,\"epoch\":\"" + epoch + "\"").getBytes(StandardCharsets.UTF_8);
        for (int at = json.length - marker.length; at >= 0; at--) {
            if (matches(json, at, marker)) {
                int from = at + "\"offset\":".length();
                return new int[] {from, at + marker.length};
            }
        }
        throw new IllegalStateException("the encoded publication has no position");
    }

    private static boolean matches(byte[] json, int at, byte[] marker) {
        for (int i = 0; i < marker.length; i++) {
            if (json[at + i] != marker[i]) {
                return false;
            }
        }
        return true;
    }
}
