package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A history reply stops at half the connection's output budget (here 256 KiB → 128 KiB of stored
 * JSON), says {@code truncated}, keeps the end a reader pages from, and the connection stays open.
 */
class HistoryReplySizeTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxPendingBytes(256 * 1024));

    private static JsonNode data(TestClient client, String command, com.fasterxml.jackson.databind.node.ObjectNode args)
            throws Exception {
        JsonNode reply = client.command(command, args).get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("%s", reply.path("error")).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    @Test
    void largeHistoriesComeInPiecesThatKeepTheConnectionOpen() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        String blob = "y".repeat(30 * 1024);
        for (int n = 1; n <= 10; n++) {
            server.bus().publish("big", "log", TestClient.parse("{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        TestClient reader = server.connect();

        JsonNode latest = data(reader, "history", TestClient.object().put("room", "big").put("channel", "log")
                .put("limit", 10));
        assertThat(latest.path("truncated").asBoolean()).isTrue();
        assertThat(latest.path("history")).extracting(h -> h.path("payload").path("n").asInt())
                .containsExactly(7, 8, 9, 10);

        JsonNode forward = data(reader, "history", TestClient.object().put("room", "big").put("channel", "log")
                .put("since", 0).put("limit", 10));
        assertThat(forward.path("history")).extracting(h -> h.path("payload").path("n").asInt())
                .containsExactly(1, 2, 3, 4);

        JsonNode newestFirst = data(reader, "history.get", TestClient.object().put("room", "big")
                .put("channel", "log").put("limit", 10));
        assertThat(newestFirst.path("truncated").asBoolean()).isTrue();
        assertThat(newestFirst.path("entries")).extracting(e -> e.path("envelope").path("payload").path("n").asInt())
                .containsExactly(10, 9, 8, 7);

        JsonNode replay = data(reader, "history.replay", TestClient.object().put("room", "big")
                .put("channel", "log").put("from_ts", start.toString()).put("to_ts", Instant.now().plusSeconds(1).toString()));
        assertThat(replay.path("truncated").asBoolean()).isTrue();
        assertThat(replay.path("entries")).extracting(e -> e.path("envelope").path("payload").path("n").asInt())
                .containsExactly(1, 2, 3, 4);

        JsonNode small = data(reader, "history", TestClient.object().put("room", "big").put("channel", "log")
                .put("limit", 2));
        assertThat(small.has("truncated")).isFalse();
        assertThat(reader.isClosed()).isFalse();
        assertThat(data(reader, "ping", TestClient.object()).path("pong").asBoolean()).isTrue();
    }

    @Test
    void aRecoveryLargerThanHalfTheBudgetIsRefusedWholeAndLiveTrafficFollows() throws Exception {
        String blob = "z".repeat(30 * 1024);
        var first = server.bus().publish("big", "recover", TestClient.parse("{\"n\":0}"));
        for (int n = 1; n <= 10; n++) {
            server.bus().publish("big", "recover", TestClient.parse("{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        TestClient reader = server.connect();
        com.fasterxml.jackson.databind.node.ObjectNode args = TestClient.object().put("room", "big")
                .put("channel", "recover");
        args.putObject("recover").put("offset", first.position().offset()).put("epoch", first.position().epoch());
        JsonNode joined = data(reader, "join_channel", args);
        assertThat(joined.path("recovered").asBoolean()).isFalse();
        assertThat(joined.path("missed").asInt()).isEqualTo(10);
        server.bus().publish("big", "recover", TestClient.parse("{\"n\":11}"));
        JsonNode live = reader.await(f -> "message".equals(f.path("type").asText())
                && "recover".equals(f.path("channel").asText()), ArqonBusExtension.TIMEOUT);
        assertThat(live.path("payload").path("n").asInt()).isEqualTo(11);
        assertThat(reader.isClosed()).isFalse();
    }
}
