package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HistoryCommandsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    /** Publishes {@code n} messages {@code {"n": first..}} and waits until each was accepted. */
    private static void publish(TestClient client, String room, String channel, int first, int n)
            throws Exception {
        for (int i = first; i < first + n; i++) {
            client.publish(room, channel, Map.of("n", i));
            client.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);
        }
    }

    /** A millisecond instant strictly after everything stored so far and before anything stored later. */
    private static Instant boundary() {
        Instant last = Instant.now();
        await().atMost(ArqonBusExtension.TIMEOUT)
                .until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(last));
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static List<Integer> numbers(JsonNode rows, boolean operator) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode row : rows) {
            out.add((operator ? row.path("envelope").path("payload") : row.path("payload")).path("n").asInt());
        }
        return out;
    }

    @Test
    void historyReturnsTheLastMessagesOfAChannelOldestFirst() throws Exception {
        TestClient a = server.connect();
        publish(a, "h1", "main", 1, 60);

        JsonNode data = ok(a, "history", args("room", "h1", "channel", "main"));
        assertThat(data.path("room").asText()).isEqualTo("h1");
        assertThat(data.path("channel").asText()).isEqualTo("main");
        assertThat(data.path("limit").asInt()).isEqualTo(50);
        assertThat(data.path("count").asInt()).isEqualTo(50);
        assertThat(numbers(data.path("history"), false)).first().isEqualTo(11);
        assertThat(numbers(data.path("history"), false)).last().isEqualTo(60);
        assertThat(numbers(data.path("history"), false)).isSorted();

        JsonNode entry = data.path("history").get(49);
        assertThat(entry.path("message_id").asText()).startsWith("arq_");
        assertThat(entry.path("type").asText()).isEqualTo("message");
        assertThat(entry.path("sender").asText()).isEqualTo(a.clientId());
        assertThat(entry.path("room").asText()).isEqualTo("h1");
        assertThat(entry.path("channel").asText()).isEqualTo("main");
        assertThat(entry.path("timestamp").asText()).endsWith("Z");
        assertThat(entry.path("stored_at").asText()).endsWith("Z");
        assertThat(entry.path("metadata").path("offset").asLong()).isEqualTo(60);
        assertThat(entry.path("metadata").path("epoch").asText()).isNotBlank();

        JsonNode three = ok(a, "history", args("room", "h1:main", "limit", 3));
        assertThat(numbers(three.path("history"), false)).containsExactly(58, 59, 60);
    }

    @Test
    void historyOfARoomMergesItsChannelsInStoreOrder() throws Exception {
        TestClient a = server.connect();
        publish(a, "h2", "x", 1, 2);
        publish(a, "h2", "y", 3, 2);
        publish(a, "h2", "x", 5, 1);
        JsonNode data = ok(a, "history", args("room", "h2"));
        assertThat(data.path("channel").isNull()).isTrue();
        assertThat(numbers(data.path("history"), false)).containsExactly(1, 2, 3, 4, 5);
        assertThat(numbers(ok(a, "history", args("room", "h2", "limit", 2)).path("history"), false))
                .containsExactly(4, 5);
    }

    @Test
    void historyRefusesBadLimitsAndUnknownPlaces() throws Exception {
        TestClient a = server.connect();
        publish(a, "h3", "c", 1, 1);
        assertThat(error(a, "history", args("room", "h3", "limit", 1001), "VALIDATION_ERROR").path("error").asText())
                .isEqualTo("Validation error: 'limit' must be between 1 and 1000");
        error(a, "history", args("room", "h3", "limit", 0), "VALIDATION_ERROR");
        error(a, "history", args("room", "h3", "limit", "ten"), "VALIDATION_ERROR");
        error(a, "history", args(), "VALIDATION_ERROR");
        error(a, "history", args("room", "nope"), "NOT_FOUND");
        error(a, "history", args("room", "h3", "channel", "nope"), "NOT_FOUND");
        assertThat(ok(a, "history", args("room", "h3", "limit", 1000)).path("count").asInt()).isEqualTo(1);
    }

    @Test
    void historyGetReturnsStoredEnvelopesNewestFirstWithTheOriginalsShape() throws Exception {
        TestClient a = server.connect();
        publish(a, "h4", "c", 1, 5);
        for (String name : List.of("history.get", "op.history.get")) {
            JsonNode data = ok(a, name, args("room", "h4", "channel", "c", "limit", 3));
            assertThat(data.path("count").asInt()).isEqualTo(3);
            assertThat(data.path("room").asText()).isEqualTo("h4");
            assertThat(data.path("channel").asText()).isEqualTo("c");
            assertThat(data.path("since").isNull()).isTrue();
            assertThat(data.path("until").isNull()).isTrue();
            assertThat(data.path("limit").asInt()).isEqualTo(3);
            assertThat(numbers(data.path("entries"), true)).containsExactly(5, 4, 3);
            JsonNode entry = data.path("entries").get(0);
            JsonNode envelope = entry.path("envelope");
            assertThat(envelope.path("type").asText()).isEqualTo("message");
            assertThat(envelope.path("room").asText()).isEqualTo("h4");
            assertThat(envelope.path("channel").asText()).isEqualTo("c");
            assertThat(envelope.path("sender").asText()).isEqualTo(a.clientId());
            assertThat(envelope.path("version").asText()).isEqualTo("1.0");
            assertThat(envelope.path("metadata").path("offset").asLong()).isEqualTo(5);
            assertThat(entry.path("stored_at").asText()).endsWith("Z");
            JsonNode storage = entry.path("storage_metadata");
            assertThat(storage.path("backend").asText()).isEqualTo("memory");
            assertThat(storage.path("offset").asLong()).isEqualTo(5);
            assertThat(storage.path("epoch").asText()).isEqualTo(envelope.path("metadata").path("epoch").asText());
        }
        assertThat(ok(a, "history.get", args("room", "h4")).path("limit").asInt()).isEqualTo(100);
    }

    @Test
    void historyGetFiltersByStoreTimeWithAnExclusiveUntil() throws Exception {
        TestClient a = server.connect();
        publish(a, "h5", "c", 1, 3);
        Instant middle = boundary();
        publish(a, "h5", "c", 4, 3);
        Instant end = boundary();

        JsonNode after = ok(a, "history.get", args("room", "h5", "since", Timestamps.format(middle)));
        assertThat(numbers(after.path("entries"), true)).containsExactly(6, 5, 4);
        assertThat(after.path("since").asText()).isEqualTo(Timestamps.format(middle));
        JsonNode before = ok(a, "history.get", args("room", "h5", "until", Timestamps.format(middle)));
        assertThat(numbers(before.path("entries"), true)).containsExactly(3, 2, 1);
        JsonNode none = ok(a, "history.get", args("room", "h5", "since", Timestamps.format(end)));
        assertThat(none.path("count").asInt()).isZero();

        error(a, "history.get", args("room", "h5", "since", "yesterday"), "VALIDATION_ERROR");
        error(a, "history.get", args("room", "h5", "since", Timestamps.format(end), "until",
                Timestamps.format(middle)), "VALIDATION_ERROR");
        error(a, "history.get", args("room", "h5", "limit", 1001), "VALIDATION_ERROR");
    }

    @Test
    void historyGetWithoutARoomIsForAdminsOnly() throws Exception {
        TestClient a = server.connect();
        assertThat(error(a, "history.get", args(), "AUTHORIZATION_ERROR").path("error").asText())
                .contains("'room' is required");
        error(a, "op.history.replay", args("from_ts", "2020-01-01T00:00:00Z", "to_ts", "2030-01-01T00:00:00Z"),
                "AUTHORIZATION_ERROR");
        error(a, "history.get", args("room", "not-a-room"), "NOT_FOUND");
        error(a, "history.get", args("room", "science", "channel", "not-a-channel"), "NOT_FOUND");
    }

    @Test
    void historyReplayReturnsTheFirstMessagesOfTheRangeOldestFirst() throws Exception {
        TestClient a = server.connect();
        Instant start = boundary();
        publish(a, "h6", "c", 1, 4);
        publish(a, "h6", "d", 5, 2);
        Instant end = boundary();
        publish(a, "h6", "c", 7, 1);

        for (String name : List.of("history.replay", "op.history.replay")) {
            JsonNode data = ok(a, name, args("room", "h6", "from_ts", Timestamps.format(start),
                    "to_ts", Timestamps.format(end)));
            assertThat(numbers(data.path("entries"), true)).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(data.path("count").asInt()).isEqualTo(6);
            assertThat(data.path("room").asText()).isEqualTo("h6");
            assertThat(data.path("channel").isNull()).isTrue();
            assertThat(data.path("since").asText()).isEqualTo(Timestamps.format(start));
            assertThat(data.path("until").asText()).isEqualTo(Timestamps.format(end));
            assertThat(data.path("limit").asInt()).isEqualTo(1000);
            assertThat(data.path("strict_sequence").asBoolean()).isTrue();
            assertThat(data.path("latency_ms").isNumber()).isTrue();
            assertThat(data.path("entries").get(0).path("storage_metadata").path("offset").asLong()).isEqualTo(1);
        }
        JsonNode firstTwo = ok(a, "history.replay", args("room", "h6", "channel", "c", "limit", 2,
                "from_ts", Timestamps.format(start), "to_ts", Timestamps.format(Instant.now().plusSeconds(5))));
        assertThat(numbers(firstTwo.path("entries"), true)).containsExactly(1, 2);
        JsonNode loose = ok(a, "history.replay", args("room", "h6", "strict_sequence", false,
                "from_ts", Timestamps.format(start), "to_ts", Timestamps.format(end)));
        assertThat(loose.path("strict_sequence").asBoolean()).isFalse();
        assertThat(loose.path("count").asInt()).isEqualTo(6);
    }

    @Test
    void historyReplayRefusesMissingOrReversedRangesAndBigLimits() throws Exception {
        TestClient a = server.connect();
        String from = "2026-01-01T00:00:00Z";
        String to = "2026-01-02T00:00:00Z";
        assertThat(error(a, "history.replay", args("room", "science", "to_ts", to), "VALIDATION_ERROR")
                .path("error").asText()).isEqualTo("Validation error: 'from_ts' is required");
        error(a, "history.replay", args("room", "science", "from_ts", from), "VALIDATION_ERROR");
        error(a, "history.replay", args("room", "science", "from_ts", to, "to_ts", from), "VALIDATION_ERROR");
        error(a, "history.replay", args("room", "science", "from_ts", from, "to_ts", to, "limit", 5001),
                "VALIDATION_ERROR");
        error(a, "history.replay", args("room", "science", "from_ts", from, "to_ts", to, "strict_sequence", "yes"),
                "VALIDATION_ERROR");
        assertThat(ok(a, "history.replay", args("room", "science", "from_ts", from, "to_ts", to, "limit", 5000))
                .path("count").asInt()).isZero();
    }
}
