package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import io.arqonbus.server.testing.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-channel slow-consumer policies with real clients over loopback: one member that stops reading
 * beside healthy members of the same channel, under a bounded burst. Healthy members get every
 * publication in order under each policy; the stuck one is closed with 4001 ({@code disconnect}),
 * gets a {@code missed} notice and then the newest publications ({@code drop-oldest}), or the
 * latest value per key ({@code conflate}); meanwhile what the server holds for it stays bounded.
 */
class ChannelSlowConsumerPolicyTest {
    static final int MAX_PENDING = 256 * 1024;
    static final int BACKLOG = 50;
    static final int WRITE_BUFFER_HIGH = 128 * 1024;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(TestTokens.SECRET).maxPendingBytes(MAX_PENDING).writeBufferHigh(WRITE_BUFFER_HIGH)
            .legacyAcks(false)
            // The stuck client reads its 4001 close frame only once the test saw the disconnect.
            .closeWait(Duration.ofSeconds(60))
            // The stuck client answers no pings; this test is about its output, not keepalive.
            .keepAliveInterval(Duration.ZERO)
            .slowConsumerChannels(c -> c.withBacklogMessages(BACKLOG)
                    .withRules(SlowConsumerChannels.parseRules("test", "feeds:drop-*=drop-oldest"))));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final int HEALTHY = 3;
    private static final int MAX_MESSAGES = 4000;
    /** Publications per round: 40 frames of about 1.3 KB, well below a healthy member's high-water mark. */
    private static final int ROUND = 40;
    private static final String FILL;

    static {
        char[] filler = new char[1024];
        Arrays.fill(filler, 'x');
        FILL = new String(filler);
    }

    @Test
    void disconnectClosesTheStuckMemberWith4001AndHealthyMembersGetEverything() throws Exception {
        Channel channel = new Channel("feeds", "chat");
        long before = server.components().metrics().slowConsumerDisconnectsTotal();
        int published = channel.publishUntil(
                () -> server.components().metrics().slowConsumerDisconnectsTotal() > before, i -> "{}");
        channel.stuck.resumeReading();
        RawWebSocket.Close close = channel.stuck.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        channel.healthyGotEverythingInOrder(published);
    }

    @Test
    void dropOldestTellsTheStuckMemberWhatItMissedThenSendsTheNewestInOrder() throws Exception {
        Channel channel = new Channel("feeds", "drop-prices"); // drop-oldest by configuration
        long before = server.components().metrics().slowConsumerSkippedTotal("drop-oldest");
        int published = channel.publishUntil(
                () -> server.components().metrics().slowConsumerSkippedTotal("drop-oldest") > before, i -> "{}");
        long[] held = channel.stuckHolds();
        // A further burst while it stays stuck: what the server holds for it does not grow.
        published += channel.publishRounds(published, 10, i -> "{}");
        long[] heldLater = channel.stuckHolds();
        assertThat(heldLater[0]).isLessThanOrEqualTo(WRITE_BUFFER_HIGH + 4096L);
        assertThat(heldLater[1]).isEqualTo(BACKLOG);
        assertThat(heldLater[2]).isLessThanOrEqualTo(held[2] + 64);
        assertThat(heldLater[0] + heldLater[2]).isLessThanOrEqualTo(held[0] + held[2] + 4096L);

        channel.stuck.resumeReading();
        List<JsonNode> got = channel.stuckReads(published, BACKLOG);
        int missedAt = indexOfMissed(got);
        assertThat(missedAt).as("a missed notice among %s frames", got.size()).isGreaterThanOrEqualTo(0);
        // Before it: what was already on its way, from the first publication on, in order.
        for (int i = 0; i < missedAt; i++) {
            assertThat(got.get(i).path("metadata").path("offset").asLong()).isEqualTo(i + 1);
        }
        JsonNode missed = got.get(missedAt).path("payload");
        assertThat(missed.path("policy").asText()).isEqualTo("drop-oldest");
        assertThat(missed.path("room").asText()).isEqualTo("feeds");
        assertThat(missed.path("channel").asText()).isEqualTo("drop-prices");
        assertThat(missed.path("first_offset").asLong()).isEqualTo(missedAt + 1);
        assertThat(missed.path("offset").asLong()).isEqualTo(published - BACKLOG);
        assertThat(missed.path("count").asLong()).isEqualTo(published - BACKLOG - missedAt);
        assertThat(missed.path("epoch").asText()).isEqualTo(got.get(missedAt + 1).path("metadata").path("epoch").asText());
        // After it: the newest publications, in order, up to the last one.
        List<JsonNode> rest = got.subList(missedAt + 1, got.size());
        assertThat(rest).hasSize(BACKLOG);
        for (int i = 0; i < BACKLOG; i++) {
            assertThat(rest.get(i).path("metadata").path("offset").asLong()).isEqualTo(published - BACKLOG + 1 + i);
            assertThat(rest.get(i).path("payload").path("seq").asInt()).isEqualTo(published - BACKLOG + i);
        }
        channel.healthyGotEverythingInOrder(published);
        assertThat(channel.stuck.isOpen()).isTrue();
    }

    @Test
    void healthyMembersWhoseBurstsPassTheHighWaterMarkLoseNothing() throws Exception {
        // Bursts of six 40 KB publications: past the 128 KiB high-water mark before the loop's flush,
        // so each member's last frames of a burst wait in a backlog, drained once the flush empties
        // the connection's buffer (often inside that very flush).
        Channel channel = new Channel("feeds", "drop-bursts", null, false);
        long skippedBefore = server.components().metrics().slowConsumerSkippedTotal("drop-oldest");
        char[] big = new char[40 * 1024];
        Arrays.fill(big, 'y');
        String fill = new String(big);
        int bursts = 20;
        for (int b = 0; b < bursts; b++) {
            for (int i = 0; i < 6; i++) {
                channel.publisher.send("{\"type\":\"message\",\"room\":\"feeds\",\"channel\":\"drop-bursts\","
                        + "\"payload\":{\"seq\":" + (b * 6 + i) + ",\"fill\":\"" + fill + "\"}}");
            }
            for (int r = 0; r < channel.healthy.size(); r++) {
                Channel.readPublications(channel.healthy.get(r), channel.healthySeqs.get(r), (b + 1) * 6);
            }
        }
        channel.healthyGotEverythingInOrder(bursts * 6);
        assertThat(server.components().metrics().slowConsumerSkippedTotal("drop-oldest")).isEqualTo(skippedBefore);
    }

    @Test
    void aMemberThatReadsAgainWhilePublicationsGoOnCatchesUpWithEveryGapAnnounced() throws Exception {
        Channel channel = new Channel("feeds", "drop-catch-up"); // drop-oldest by configuration
        long before = server.components().metrics().slowConsumerSkippedTotal("drop-oldest");
        int published = channel.publishUntil(
                () -> server.components().metrics().slowConsumerSkippedTotal("drop-oldest") > before, i -> "{}");
        // It reads again while publishing goes on: its backlog drains while new frames join it.
        channel.stuck.resumeReading();
        published += channel.publishRounds(published, 10, i -> "{}");
        int last = published;
        long expectedNext = 1;
        boolean sawMissed = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (expectedNext <= last) {
            JsonNode frame = channel.stuck.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            JsonNode payload = frame.path("payload");
            if ("missed".equals(payload.path("event").asText())) {
                // Every gap is announced, exactly, before the frame after it.
                assertThat(payload.path("first_offset").asLong()).isEqualTo(expectedNext);
                assertThat(payload.path("count").asLong())
                        .isEqualTo(payload.path("offset").asLong() - payload.path("first_offset").asLong() + 1);
                expectedNext = payload.path("offset").asLong() + 1;
                sawMissed = true;
            } else if ("message".equals(frame.path("type").asText())) {
                assertThat(frame.path("metadata").path("offset").asLong()).isEqualTo(expectedNext);
                expectedNext++;
            }
        }
        assertThat(sawMissed).isTrue();
        assertThat(channel.stuckHolds()[1]).as("no backlog left once it caught up").isZero();
        channel.healthyGotEverythingInOrder(published);
    }

    @Test
    void conflateGivesTheStuckMemberTheLatestValuePerKey() throws Exception {
        Channel channel = new Channel("ticks", "prices", "conflate"); // by create_channel's argument
        long before = server.components().metrics().slowConsumerSkippedTotal("conflate");
        int keys = 5;
        int published = channel.publishUntil(
                () -> server.components().metrics().slowConsumerSkippedTotal("conflate") > before,
                i -> "{\"key\":\"k" + (i % keys) + "\"}");
        published += channel.publishRounds(published, 5, i -> "{\"key\":\"k" + (i % keys) + "\"}");
        long[] held = channel.stuckHolds();
        assertThat(held[0]).isLessThanOrEqualTo(WRITE_BUFFER_HIGH + 4096L);
        assertThat(held[1]).isEqualTo(keys);

        channel.stuck.resumeReading();
        List<JsonNode> got = channel.stuckReads(published, keys);
        int missedAt = indexOfMissed(got);
        assertThat(missedAt).isGreaterThanOrEqualTo(0);
        for (int i = 0; i < missedAt; i++) {
            assertThat(got.get(i).path("metadata").path("offset").asLong()).isEqualTo(i + 1);
        }
        JsonNode missed = got.get(missedAt).path("payload");
        assertThat(missed.path("policy").asText()).isEqualTo("conflate");
        assertThat(missed.path("count").asLong()).isEqualTo(published - missedAt - keys);
        // Then one frame per key, each the latest value of its key, in the order they were published.
        Map<String, Integer> latest = new LinkedHashMap<>();
        List<JsonNode> rest = got.subList(missedAt + 1, got.size());
        for (JsonNode frame : rest) {
            latest.put(frame.path("payload").path("key").asText(), frame.path("payload").path("seq").asInt());
        }
        assertThat(rest).hasSize(keys);
        assertThat(latest).hasSize(keys);
        for (int i = 0; i < keys; i++) {
            int seq = published - keys + i;
            assertThat(latest.get("k" + (seq % keys))).isEqualTo(seq);
            assertThat(rest.get(i).path("payload").path("seq").asInt()).isEqualTo(seq);
        }
        channel.healthyGotEverythingInOrder(published);
    }

    @Test
    void createChannelRefusesAnUnknownPolicy() throws Exception {
        RawWebSocket admin = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(TestTokens.bearer("ada", "admin", null)));
        admin.next(T);
        admin.send("{\"id\":\"arq_bad\",\"type\":\"command\",\"command\":\"create_channel\",\"args\":{\"room\":\"ticks\","
                + "\"channel\":\"bad\",\"slow_consumer\":\"drop-newest\"}}");
        JsonNode reply = admin.await(responseTo("arq_bad"), T);
        assertThat(reply.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(reply.path("error").asText()).contains("disconnect, drop-oldest or conflate");
        assertThat(server.components().hub().channel(io.arqonbus.server.internal.channel.ChannelKey.of("ticks", "bad")))
                .isNull();
    }

    private static int indexOfMissed(List<JsonNode> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if ("missed".equals(frames.get(i).path("payload").path("event").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** Builds a publication's payload fields (without the braces' end) for sequence number {@code i}. */
    @FunctionalInterface
    interface Fields {
        String of(int i);
    }

    /** A channel with healthy members, one stuck member and a publisher. */
    private static final class Channel {
        final String room;
        final String name;
        final List<RawWebSocket> healthy = new ArrayList<>();
        final List<List<Integer>> healthySeqs = new ArrayList<>();
        final RawWebSocket stuck;
        final String stuckId;
        final RawWebSocket publisher;

        Channel(String room, String name) throws Exception {
            this(room, name, null);
        }

        Channel(String room, String name, String policy) throws Exception {
            this(room, name, policy, true);
        }

        /** With {@code policy}, an admin creates the channel first with {@code slow_consumer} set to it. */
        Channel(String room, String name, String policy, boolean withStuck) throws Exception {
            this.room = room;
            this.name = name;
            if (policy != null) {
                RawWebSocket admin = raw.connect(RawWebSocket.Options.defaults()
                        .withHeaders(TestTokens.bearer("ada", "admin", null)));
                admin.next(T);
                admin.send("{\"id\":\"arq_c\",\"type\":\"command\",\"command\":\"create_channel\",\"args\":{\"room\":\""
                        + room + "\",\"channel\":\"" + name + "\",\"slow_consumer\":\"" + policy + "\"}}");
                JsonNode reply = admin.await(responseTo("arq_c"), T);
                assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
                assertThat(reply.path("payload").path("data").path("slow_consumer").asText()).isEqualTo(policy);
            }
            for (int i = 0; i < HEALTHY; i++) {
                RawWebSocket r = member(RawWebSocket.Options.defaults(), "reader" + i);
                healthy.add(r);
                healthySeqs.add(new ArrayList<>());
            }
            stuck = withStuck ? member(RawWebSocket.Options.defaults().withReceiveBuffer(2048), "stuck") : null;
            stuckId = stuckClientId;
            if (stuck != null) {
                stuck.stopReading();
            }
            publisher = raw.connect(RawWebSocket.Options.defaults().withHeaders(TestTokens.bearer("pub", "user", null)));
            publisher.next(T);
        }

        private String stuckClientId;

        private RawWebSocket member(RawWebSocket.Options options, String sub) throws Exception {
            RawWebSocket r = raw.connect(options.withHeaders(TestTokens.bearer(sub, "user", null)));
            JsonNode welcome = r.next(T);
            stuckClientId = welcome.path("payload").path("client_id").asText();
            r.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"" + room
                    + "\",\"channel\":\"" + name + "\"}}");
            JsonNode reply = r.await(responseTo("arq_j"), T);
            assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
            return r;
        }

        /**
         * Publishes rounds of {@link #ROUND} until {@code done} (at most {@link #MAX_MESSAGES}), each round read
         * by the healthy members before the next, so they never fall behind; returns how many.
         */
        int publishUntil(BooleanSupplier done, Fields fields) throws Exception {
            int published = 0;
            while (published < MAX_MESSAGES && !done.getAsBoolean()) {
                published += publishRounds(published, 1, fields);
            }
            assertThat(published).as("the stuck member fell behind within %s publications", MAX_MESSAGES)
                    .isLessThan(MAX_MESSAGES);
            return published;
        }

        /** Publishes {@code rounds} rounds of {@link #ROUND} from sequence number {@code from}; returns how many. */
        int publishRounds(int from, int rounds, Fields fields) throws Exception {
            int seq = from;
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < ROUND; i++, seq++) {
                    String extra = fields.of(seq);
                    String head = extra.length() > 2 ? extra.substring(1, extra.length() - 1) + "," : "";
                    publisher.send("{\"type\":\"message\",\"room\":\"" + room + "\",\"channel\":\"" + name
                            + "\",\"payload\":{" + head + "\"seq\":" + seq + ",\"fill\":\"" + FILL + "\"}}");
                }
                for (int r = 0; r < healthy.size(); r++) {
                    readPublications(healthy.get(r), healthySeqs.get(r), seq);
                }
            }
            return seq - from;
        }

        static void readPublications(RawWebSocket reader, List<Integer> seqs, int upTo)
                throws TimeoutException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seqs.size() < upTo) {
                JsonNode frame = reader.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if ("message".equals(frame.path("type").asText()) && frame.path("payload").has("seq")) {
                    seqs.add(frame.path("payload").path("seq").asInt());
                }
            }
        }

        void healthyGotEverythingInOrder(int published) {
            for (int r = 0; r < healthy.size(); r++) {
                List<Integer> seqs = healthySeqs.get(r);
                assertThat(seqs).hasSize(published);
                for (int i = 0; i < published; i++) {
                    assertThat(seqs.get(i)).isEqualTo(i);
                }
                assertThat(healthy.get(r).isOpen()).isTrue();
            }
        }

        /** {pending output bytes, frames in backlogs, bytes in backlogs} of the stuck member, read on its loop. */
        long[] stuckHolds() throws Exception {
            Session session = server.components().sessions().find(stuckId);
            assertThat(session).isNotNull();
            return session.channel().eventLoop().submit(() -> new long[] {session.outbound().pendingBytes(),
                    session.backlogFrames(), session.backlogBytes()}).get(T.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * The stuck member's frames after it reads again, until the missed notice and then
         * {@code after} frames of this channel have arrived.
         */
        List<JsonNode> stuckReads(int published, int after) throws TimeoutException {
            List<JsonNode> got = new ArrayList<>();
            int sinceMissed = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sinceMissed < after) {
                JsonNode frame = stuck.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                boolean missed = "missed".equals(frame.path("payload").path("event").asText());
                boolean publication = "message".equals(frame.path("type").asText());
                if (!missed && !publication) {
                    continue;
                }
                got.add(frame);
                if (missed) {
                    sinceMissed = 0;
                } else if (sinceMissed >= 0) {
                    sinceMissed++;
                }
            }
            assertThat(stuck.drain()).as("nothing after the last publication").isEmpty();
            return got;
        }
    }
}
