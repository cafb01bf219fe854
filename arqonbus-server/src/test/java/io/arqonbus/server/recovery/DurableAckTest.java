package io.arqonbus.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acknowledged publishes and idempotency keys (protocol §12), and history read by offset.
 */
class DurableAckTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static ObjectNode message(String id, String channel, int seq, String ack, String idempotencyKey) {
        ObjectNode frame = TestClient.object();
        frame.put("id", id);
        frame.put("type", "message");
        frame.put("room", "dur");
        frame.put("channel", channel);
        frame.putObject("payload").put("seq", seq);
        if (ack != null) {
            frame.put("ack", ack);
        }
        if (idempotencyKey != null) {
            frame.putObject("metadata").put("idempotency_key", idempotencyKey);
        }
        return frame;
    }

    private static boolean ackFor(JsonNode frame, String id) {
        return "ack".equals(frame.path("type").asText()) && id.equals(frame.path("request_id").asText());
    }

    @Test
    void aDurablePublishIsAcknowledgedWithItsPositionAfterTheLegacyAck() throws Exception {
        TestClient subscriber = server.connect();
        String epoch = subscriber.joinChannel("dur", "acked").get().path("payload").path("data").path("epoch").asText();
        TestClient publisher = server.connect();

        publisher.send(message("arq_dur_1", "acked", 1, "durable", null));

        JsonNode legacy = publisher.await(f -> "message_response".equals(f.path("type").asText()), T);
        assertThat(legacy.path("request_id").asText()).isEqualTo("arq_dur_1");
        JsonNode ack = publisher.next(T);
        assertThat(ackFor(ack, "arq_dur_1")).as("the ack follows the legacy ack: %s", ack).isTrue();
        assertThat(ack.path("status").asText()).isEqualTo("success");
        assertThat(ack.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(ack.path("payload").path("offset").asLong()).isEqualTo(1);
        assertThat(ack.path("payload").path("epoch").asText()).isEqualTo(epoch);
        assertThat(ack.path("payload").path("duplicate").asBoolean()).isFalse();

        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        assertThat(delivered.path("metadata").path("offset").asLong()).isEqualTo(1);
        assertThat(delivered.has("ack")).as("the subscriber's copy").isTrue();
    }

    @Test
    void aPublishWithoutAckGetsNoAck() throws Exception {
        TestClient publisher = server.connect();
        publisher.joinChannel("dur", "quiet").get();
        publisher.send(message("arq_dur_quiet", "quiet", 1, null, null));
        publisher.await(f -> "message_response".equals(f.path("type").asText()), T);
        publisher.send(message("arq_dur_quiet2", "quiet", 2, "durable", null));
        JsonNode next = publisher.await(f -> "ack".equals(f.path("type").asText()), T);
        assertThat(next.path("request_id").asText()).isEqualTo("arq_dur_quiet2");
    }

    @Test
    void aRepeatedIdempotencyKeyIsNeitherStoredNorDeliveredAgainAndItsAckNamesTheFirstOffset() throws Exception {
        TestClient subscriber = server.connect();
        subscriber.joinChannel("dur", "idem").get();
        TestClient publisher = server.connect();

        publisher.send(message("arq_idem_1", "idem", 1, "durable", "order-42"));
        JsonNode first = publisher.await(f -> ackFor(f, "arq_idem_1"), T);
        publisher.send(message("arq_idem_2", "idem", 1, "durable", "order-42"));
        JsonNode retry = publisher.await(f -> ackFor(f, "arq_idem_2"), T);
        publisher.send(message("arq_idem_3", "idem", 2, "durable", "order-43"));
        JsonNode other = publisher.await(f -> ackFor(f, "arq_idem_3"), T);

        assertThat(first.path("payload").path("duplicate").asBoolean()).isFalse();
        assertThat(retry.path("payload").path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("payload").path("offset").asLong()).isEqualTo(first.path("payload").path("offset").asLong());
        assertThat(other.path("payload").path("offset").asLong()).isEqualTo(first.path("payload").path("offset").asLong() + 1);

        JsonNode a = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        JsonNode b = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        assertThat(List.of(a.path("payload").path("seq").asInt(), b.path("payload").path("seq").asInt()))
                .containsExactly(1, 2);
        ObjectNode args = TestClient.object().put("room", "dur").put("channel", "idem");
        JsonNode history = subscriber.command("history", args).get().path("payload").path("data").path("history");
        assertThat(history).hasSize(2);
    }

    @Test
    void anIdempotencyKeyWithoutAckStillDeduplicates() throws Exception {
        TestClient subscriber = server.connect();
        subscriber.joinChannel("dur", "idem-noack").get();
        TestClient publisher = server.connect();
        for (int i = 0; i < 3; i++) {
            publisher.send(message("arq_noack_" + i, "idem-noack", 7, null, "same"));
        }
        publisher.send(message("arq_noack_end", "idem-noack", 8, null, "other"));
        subscriber.await(f -> f.path("payload").path("seq").asInt() == 8, T);
        ObjectNode args = TestClient.object().put("room", "dur").put("channel", "idem-noack");
        JsonNode history = subscriber.command("history", args).get().path("payload").path("data").path("history");
        assertThat(history).extracting(h -> h.path("payload").path("seq").asInt()).containsExactly(7, 8);
    }

    @Test
    void aBadIdempotencyKeyIsRefusedWithAValidationError() throws Exception {
        TestClient publisher = server.connect();
        publisher.send(message("arq_badkey", "idem-bad", 1, "durable", "k".repeat(129)));
        JsonNode error = publisher.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(error.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("request_id").asText()).isEqualTo("arq_badkey");
        assertThat(error.path("error").asText()).contains("idempotency_key");
    }

    @Test
    void historyReadsByOffsetOldestOrNewestFirst() throws Exception {
        TestClient publisher = server.connect();
        for (int i = 1; i <= 10; i++) {
            publisher.send(message("arq_hist_" + i, "since", i, "durable", null));
        }
        publisher.await(f -> ackFor(f, "arq_hist_10"), T);

        ObjectNode args = TestClient.object().put("room", "dur").put("channel", "since").put("since", 4).put("limit", 3);
        JsonNode oldest = publisher.command("history", args).get().path("payload").path("data").path("history");
        assertThat(oldest).extracting(h -> h.path("metadata").path("offset").asLong()).containsExactly(5L, 6L, 7L);

        args.put("reverse", true);
        JsonNode newest = publisher.command("history", args).get().path("payload").path("data").path("history");
        assertThat(newest).extracting(h -> h.path("metadata").path("offset").asLong()).containsExactly(10L, 9L, 8L);

        ObjectNode noSince = TestClient.object().put("room", "dur").put("channel", "since").put("limit", 2)
                .put("reverse", true);
        JsonNode latest = publisher.command("history", noSince).get().path("payload").path("data").path("history");
        assertThat(latest).extracting(h -> h.path("metadata").path("offset").asLong()).containsExactly(10L, 9L);

        ObjectNode roomOnly = TestClient.object().put("room", "dur").put("since", 3);
        JsonNode refused = publisher.command("history", roomOnly).get();
        assertThat(refused.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }
}
