package io.arqonbus.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery (protocol §12): a member that comes back with its last position gets exactly what it
 * missed, in order, after the join reply and before live traffic — or {@code recovered: false}
 * and nothing partial.
 */
class RecoveryTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxHistorySize(2_000).recoveryMaxMessages(1_500));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static JsonNode join(TestClient client, String channel, long offset, String epoch) throws Exception {
        ObjectNode args = TestClient.object();
        args.put("room", "rec");
        args.put("channel", channel);
        if (epoch != null) {
            ObjectNode recover = args.putObject("recover");
            recover.put("offset", offset);
            recover.put("epoch", epoch);
        }
        return client.command("join_channel", args).get();
    }

    private static boolean isPublication(JsonNode frame, String channel) {
        return "message".equals(frame.path("type").asText()) && channel.equals(frame.path("channel").asText());
    }

    /** Publishes {@code n} messages and waits until a watcher member received the last one. */
    private static void publishAndSettle(TestClient publisher, TestClient watcher, String channel, int from,
            int n) throws TimeoutException {
        for (int i = from; i < from + n; i++) {
            publisher.publish("rec", channel, Map.of("seq", i));
        }
        int last = from + n - 1;
        watcher.await(f -> isPublication(f, channel) && f.path("payload").path("seq").asInt() == last, T);
    }

    /** The frames after the join reply, up to and including the publication with {@code lastSeq}. */
    private static List<JsonNode> publicationsUntil(TestClient client, String channel, int lastSeq)
            throws TimeoutException {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode frame = client.next(T);
            if (isPublication(frame, channel)) {
                out.add(frame);
                if (frame.path("payload").path("seq").asInt() == lastSeq) {
                    return out;
                }
            }
        }
    }

    @Test
    void aMemberThatMissedAThousandGetsExactlyThoseInOrderThenLiveTraffic() throws Exception {
        TestClient publisher = server.connect();
        TestClient watcher = server.connect();
        watcher.joinChannel("rec", "thousand").get();
        TestClient member = server.connect();
        JsonNode first = join(member, "thousand", 0, null);
        String epoch = first.path("payload").path("data").path("epoch").asText();
        assertThat(first.path("payload").path("data").path("offset").asLong()).isZero();

        publishAndSettle(publisher, watcher, "thousand", 1, 5);
        List<JsonNode> seen = publicationsUntil(member, "thousand", 5);
        long lastSeen = seen.get(seen.size() - 1).path("metadata").path("offset").asLong();
        assertThat(lastSeen).isEqualTo(5);
        member.close();

        publishAndSettle(publisher, watcher, "thousand", 6, 1_000);

        TestClient back = server.connect();
        JsonNode reply = join(back, "thousand", lastSeen, epoch);
        JsonNode data = reply.path("payload").path("data");
        assertThat(data.path("recovered").asBoolean()).isTrue();
        assertThat(data.path("missed").asLong()).isEqualTo(1_000);
        assertThat(data.path("offset").asLong()).isEqualTo(1_005);
        assertThat(data.path("epoch").asText()).isEqualTo(epoch);

        publisher.publish("rec", "thousand", Map.of("seq", 1_006));
        List<JsonNode> after = publicationsUntil(back, "thousand", 1_006);

        assertThat(after).hasSize(1_001);
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).path("metadata").path("offset").asLong()).isEqualTo(6 + i);
            assertThat(after.get(i).path("payload").path("seq").asInt()).isEqualTo(6 + i);
            assertThat(after.get(i).path("metadata").path("epoch").asText()).isEqualTo(epoch);
        }
    }

    @Test
    void publicationsRacingTheJoinLeaveNoGapAndNoDuplicateAtTheSeam() throws Exception {
        TestClient publisher = server.connect();
        TestClient watcher = server.connect();
        watcher.joinChannel("rec", "race").get();
        TestClient member = server.connect();
        String epoch = join(member, "race", 0, null).path("payload").path("data").path("epoch").asText();
        member.close();
        publishAndSettle(publisher, watcher, "race", 1, 200);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger(200);
        Thread pump = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 5_000 && running.get(); i++) {
                publisher.publish("rec", "race", Map.of("seq", sent.incrementAndGet())).join();
            }
        });
        TestClient back = server.connect();
        JsonNode reply;
        try {
            reply = join(back, "race", 100, epoch);
        } finally {
            running.set(false);
            pump.join(T.toMillis());
        }
        assertThat(reply.path("payload").path("data").path("recovered").asBoolean()).isTrue();
        int last = sent.get();
        watcher.await(f -> isPublication(f, "race") && f.path("payload").path("seq").asInt() == last, T);

        List<JsonNode> after = publicationsUntil(back, "race", last);
        List<Long> offsets = after.stream().map(f -> f.path("metadata").path("offset").asLong()).toList();
        List<Long> expected = new ArrayList<>();
        for (long o = 101; o <= last; o++) {
            expected.add(o);
        }
        assertThat(offsets).isEqualTo(expected);
    }

    @Test
    void aPositionOlderThanRetentionIsNotRecoveredAndNothingPartialIsSent() throws Exception {
        TestClient publisher = server.connect();
        TestClient watcher = server.connect();
        JsonNode joined = watcher.joinChannel("rec", "trimmed").get();
        String epoch = joined.path("payload").path("data").path("epoch").asText();
        publishAndSettle(publisher, watcher, "trimmed", 1, 2_100);

        TestClient back = server.connect();
        JsonNode data = join(back, "trimmed", 10, epoch).path("payload").path("data");

        assertThat(data.path("recovered").asBoolean()).isFalse();
        assertThat(data.path("missed").asLong()).isEqualTo(2_090);
        publisher.publish("rec", "trimmed", Map.of("seq", 2_101));
        JsonNode next = back.await(f -> isPublication(f, "trimmed"), T);
        assertThat(next.path("metadata").path("offset").asLong()).isEqualTo(2_101);
    }

    @Test
    void moreMissedThanTheRecoveryBoundIsNotRecovered() throws Exception {
        TestClient publisher = server.connect();
        TestClient watcher = server.connect();
        String epoch = watcher.joinChannel("rec", "bound").get().path("payload").path("data").path("epoch").asText();
        publishAndSettle(publisher, watcher, "bound", 1, 1_600);

        TestClient back = server.connect();
        JsonNode data = join(back, "bound", 50, epoch).path("payload").path("data");
        assertThat(data.path("recovered").asBoolean()).isFalse();
        assertThat(data.path("missed").asLong()).isEqualTo(1_550);

        TestClient within = server.connect();
        JsonNode ok = join(within, "bound", 100, epoch).path("payload").path("data");
        assertThat(ok.path("recovered").asBoolean()).isTrue();
        assertThat(publicationsUntil(within, "bound", 1_600)).hasSize(1_500);
    }

    @Test
    void anotherEpochIsNotRecoveredAndAnUpToDatePositionIsRecoveredWithNothingMissed() throws Exception {
        TestClient publisher = server.connect();
        TestClient watcher = server.connect();
        String epoch = watcher.joinChannel("rec", "epoch").get().path("payload").path("data").path("epoch").asText();
        publishAndSettle(publisher, watcher, "epoch", 1, 3);

        JsonNode stale = join(server.connect(), "epoch", 1, "not-" + epoch).path("payload").path("data");
        assertThat(stale.path("recovered").asBoolean()).isFalse();
        assertThat(stale.path("epoch").asText()).isEqualTo(epoch);

        JsonNode current = join(server.connect(), "epoch", 3, epoch).path("payload").path("data");
        assertThat(current.path("recovered").asBoolean()).isTrue();
        assertThat(current.path("missed").asLong()).isZero();
    }

    @Test
    void aMalformedRecoverArgumentIsAValidationError() throws Exception {
        TestClient client = server.connect();
        ObjectNode args = TestClient.object();
        args.put("room", "rec");
        args.put("channel", "bad");
        args.putObject("recover").put("offset", "ten").put("epoch", "e");
        JsonNode reply = client.command("join_channel", args).get();
        assertThat(reply.path("status").asText()).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(reply.path("error").asText()).contains("recover.offset");

        args.set("recover", TestClient.parse("[1]"));
        assertThat(client.command("join_channel", args).get().path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }
}
