package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import io.arqonbus.server.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on a redis-server of their own (no persistence) that is stopped and started again
 * while durable publishers on every node publish to subscribers on every node. Redis comes back
 * empty, so the stream starts again in a new epoch. Checked per subscriber: no publication twice;
 * in the new epoch no offset skipped, from offset 1 on (every gap filled); in the old epoch a jump
 * only over what Redis lost, and a recovery from before it answers {@code recovered:false}; every
 * acknowledged publication received, or else it was of the old epoch and a recovery from the
 * subscriber's last position in it is answered {@code recovered:false} (the loss is said, never
 * silent); durable publications during the outage refused with {@code STORAGE_UNAVAILABLE} and
 * nothing else.
 */
class ClusterRedisRestartTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final String CHANNEL = "restart";
    /** The bound on each publisher's publications. */
    private static final int MAX_PER_PUBLISHER = 3_000;

    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private RedisServer redis;

    @AfterEach
    void stop() {
        pacer.shutdownNow();
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** A publication as a subscriber received it. */
    record Got(int publisher, int seq, long offset, String epoch) {
    }

    /** What a publisher was answered: an ack (offset, epoch) or an error code. */
    record Answer(long offset, String epoch, String error) {
    }

    @Test
    void aRedisRestartUnderTrafficLosesNothingSilentlyAndDuplicatesNothing() throws Exception {
        redis = RedisServer.launch();
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(2));
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        List<TestClient> subscribers = new ArrayList<>();
        List<TestClient> publishers = new ArrayList<>();
        for (ArqonBusExtension node : nodes) {
            TestClient subscriber = node.connect();
            subscriber.joinChannel("science", CHANNEL).get(T.toMillis(), TimeUnit.MILLISECONDS);
            subscribers.add(subscriber);
            publishers.add(node.connect());
        }
        List<List<Got>> received = new ArrayList<>();
        subscribers.forEach(s -> received.add(new ArrayList<>()));
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean publishing = new AtomicBoolean(true);
        // Each tick, one durable publication per publisher, each on its own node: 300 a second in all.
        pacer.scheduleAtFixedRate(() -> {
            if (!publishing.get()) {
                return;
            }
            int seq = sent.incrementAndGet();
            if (seq > MAX_PER_PUBLISHER) {
                publishing.set(false);
                return;
            }
            for (int p = 0; p < publishers.size(); p++) {
                ObjectNode frame = TestClient.object();
                frame.put("id", "arq_rr_" + p + "_" + seq);
                frame.put("type", "message");
                frame.put("room", "science");
                frame.put("channel", CHANNEL);
                frame.put("ack", "durable");
                frame.putObject("payload").put("p", p).put("seq", seq);
                publishers.get(p).send(frame);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        collectUntil(subscribers, received, () -> received.stream().allMatch(r -> r.size() >= 150), T);
        String oldEpoch = received.get(0).get(received.get(0).size() - 1).epoch();
        redis.stop();
        int atStop = sent.get();
        collectUntil(subscribers, received, () -> sent.get() >= atStop + 100, T);
        redis.start();
        // Traffic crosses nodes again: every subscriber receives every publisher's publications in a new epoch.
        collectUntil(subscribers, received, () -> received.stream().allMatch(r -> {
            Set<Integer> inNewEpoch = new HashSet<>();
            r.stream().filter(g -> !g.epoch().equals(oldEpoch)).forEach(g -> inNewEpoch.add(g.publisher()));
            return inNewEpoch.size() == publishers.size();
        }), Duration.ofSeconds(30));
        int atReturn = sent.get();
        collectUntil(subscribers, received, () -> sent.get() >= atReturn + 100, T);
        publishing.set(false);
        int last = Math.min(sent.get(), MAX_PER_PUBLISHER);

        List<Map<Integer, Answer>> answers = new ArrayList<>();
        for (TestClient publisher : publishers) {
            answers.add(answers(publisher, last));
        }
        // Everything acked after the return has reached every subscriber once collection ends.
        collectUntil(subscribers, received, () -> everyAckedInTheNewEpochArrived(answers, received, oldEpoch), T);

        int refused = 0;
        int acked = 0;
        for (Map<Integer, Answer> byPublisher : answers) {
            for (Answer answer : byPublisher.values()) {
                if (answer.error() != null) {
                    refused++;
                    assertThat(answer.error()).as("a durable publication refused during the outage")
                            .isEqualTo("STORAGE_UNAVAILABLE");
                } else {
                    acked++;
                }
            }
        }
        assertThat(refused).as("durable publications during the outage are refused").isPositive();

        for (int s = 0; s < subscribers.size(); s++) {
            List<Got> got = received.get(s);
            Set<String> seen = new HashSet<>();
            Map<String, Long> lastOffset = new LinkedHashMap<>();
            Map<Integer, Integer> lastSeq = new HashMap<>();
            for (Got g : got) {
                Integer before = lastSeq.put(g.publisher(), g.seq());
                assertThat(before == null || g.seq() > before)
                        .as("subscriber %d: publisher %d's publications in the order sent (%s after %s)", s,
                                g.publisher(), g.seq(), before).isTrue();
            }
            List<Long> jumpsInOldEpoch = new ArrayList<>();
            for (int i = 0; i < got.size(); i++) {
                Got g = got.get(i);
                assertThat(seen.add(g.publisher() + "/" + g.seq())).as("subscriber %d received %s twice", s, g).isTrue();
                Long before = lastOffset.put(g.epoch(), g.offset());
                long expected = before == null ? (g.epoch().equals(oldEpoch) ? g.offset() : 1) : before + 1;
                if (g.offset() != expected && g.epoch().equals(oldEpoch) && before != null && g.offset() > before) {
                    // What Redis lost with its data cannot be filled: the jump is the client's sign (checked below).
                    jumpsInOldEpoch.add(before);
                    continue;
                }
                assertThat(g.offset()).as("subscriber %d: offsets in epoch %s (old: %s) follow on from %s (gaps "
                        + "filled); around: %s", s, g.epoch(), oldEpoch, before,
                        got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 3))).isEqualTo(expected);
            }
            for (long before : jumpsInOldEpoch) {
                JsonNode reply = recover(nodes.get(s).connect(), oldEpoch, before);
                assertThat(reply.path("payload").path("data").path("recovered").asBoolean(true))
                        .as("a jump from %d in the old epoch is said: recovering from it %s", before, reply).isFalse();
            }
            assertThat(lastOffset.keySet()).as("subscriber %d saw the stream start again in a new epoch", s)
                    .hasSize(2).contains(oldEpoch);
            int missing = 0;
            int missingReported = 0;
            for (int p = 0; p < answers.size(); p++) {
                for (Map.Entry<Integer, Answer> entry : answers.get(p).entrySet()) {
                    Answer answer = entry.getValue();
                    if (answer.error() == null && !seen.contains(p + "/" + entry.getKey())) {
                        missing++;
                        assertThat(answer.epoch()).as("an acked publication missing at subscriber %d", s)
                                .isEqualTo(oldEpoch);
                        missingReported++;
                    }
                }
            }
            if (missingReported > 0) {
                // Said: recovering from the last position of the old epoch is refused with recovered:false.
                JsonNode reply = recover(nodes.get(s).connect(), oldEpoch, lastOffset.get(oldEpoch));
                assertThat(reply.path("payload").path("data").path("recovered").asBoolean(true)).as("%s", reply)
                        .isFalse();
            }
            System.out.printf("event=cluster_redis_restart subscriber=%d sent=%d acked=%d refused=%d received=%d "
                    + "missing=%d missing_reported=%d jumps_reported=%d duplicates=0 old_epoch_last=%d%n", s,
                    last * publishers.size(), acked, refused, got.size(), missing, missingReported,
                    jumpsInOldEpoch.size(), lastOffset.get(oldEpoch));
        }
    }

    private static JsonNode recover(TestClient client, String epoch, long offset) throws Exception {
        ObjectNode args = TestClient.object();
        args.put("room", "science");
        args.put("channel", CHANNEL);
        args.putObject("recover").put("offset", offset).put("epoch", epoch);
        return client.command("join_channel", args).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean everyAckedInTheNewEpochArrived(List<Map<Integer, Answer>> answers, List<List<Got>> received,
            String oldEpoch) {
        for (List<Got> got : received) {
            Set<String> seen = new HashSet<>();
            got.forEach(g -> seen.add(g.publisher() + "/" + g.seq()));
            for (int p = 0; p < answers.size(); p++) {
                for (Map.Entry<Integer, Answer> entry : answers.get(p).entrySet()) {
                    Answer answer = entry.getValue();
                    if (answer.error() == null && !answer.epoch().equals(oldEpoch)
                            && !seen.contains(p + "/" + entry.getKey())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Reads a publisher's answers (ack or error) to its publications 1..last. */
    private static Map<Integer, Answer> answers(TestClient publisher, int last) throws Exception {
        Map<Integer, Answer> out = new HashMap<>();
        long deadline = System.nanoTime() + T.toNanos() * 3;
        while (out.size() < last && System.nanoTime() < deadline) {
            JsonNode frame = publisher.poll(Duration.ofMillis(200));
            if (frame == null) {
                continue;
            }
            String requestId = frame.path("request_id").asText("");
            if (!requestId.startsWith("arq_rr_")) {
                continue;
            }
            int seq = Integer.parseInt(requestId.substring(requestId.lastIndexOf('_') + 1));
            if ("ack".equals(frame.path("type").asText())) {
                out.put(seq, new Answer(frame.path("payload").path("offset").asLong(),
                        frame.path("payload").path("epoch").asText(), null));
            } else if ("error".equals(frame.path("type").asText())) {
                out.put(seq, new Answer(-1, null, frame.path("error_code").asText()));
            }
        }
        List<Integer> unanswered = new ArrayList<>();
        for (int seq = 1; seq <= last; seq++) {
            if (!out.containsKey(seq)) {
                unanswered.add(seq);
            }
        }
        assertThat(unanswered).as("publications never answered (of %d; answers around: %s)", last,
                unanswered.isEmpty() ? "" : out.get(unanswered.get(0) - 1)).isEmpty();
        return out;
    }

    /** Reads what the subscribers received until {@code done} holds; fails after {@code limit}. */
    private static void collectUntil(List<TestClient> subscribers, List<List<Got>> received, BooleanSupplier done,
            Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            boolean any = false;
            for (int s = 0; s < subscribers.size(); s++) {
                JsonNode frame = subscribers.get(s).poll(Duration.ofMillis(5));
                for (JsonNode f = frame; f != null; f = subscribers.get(s).poll(Duration.ZERO)) {
                    any = true;
                    if ("message".equals(f.path("type").asText()) && CHANNEL.equals(f.path("channel").asText())) {
                        received.get(s).add(new Got(f.path("payload").path("p").asInt(),
                                f.path("payload").path("seq").asInt(), f.path("metadata").path("offset").asLong(-1),
                                f.path("metadata").path("epoch").asText("")));
                    }
                }
            }
            if (!any) {
                Thread.onSpinWait();
            }
        }
    }
}
