package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * History reads are budgeted per connection (here 64 KiB a second, burst 64 KiB): a read over the
 * budget answers {@code RATE_LIMITED} with {@code retry_after_ms}, the same read succeeds once the
 * budget has refilled, and another connection's budget is its own.
 */
class HistoryReadBudgetTest {
    private static final int BUDGET = 64 * 1024;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.historyReadRate(BUDGET)
            .historyReadBurst(BUDGET));

    private static JsonNode reply(TestClient client, String command, ObjectNode args) throws Exception {
        return client.command(command, args).get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ObjectNode channel() {
        return TestClient.object().put("room", "budget").put("channel", "log");
    }

    @Test
    void aReadOverTheBudgetIsRateLimitedWithARetryHintAndSucceedsLater() throws Exception {
        String blob = "b".repeat(30 * 1024);
        for (int n = 1; n <= 4; n++) {
            server.bus().publish("budget", "log", TestClient.parse("{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        TestClient reader = server.connect();

        // About 120 KiB of stored JSON: admitted (the bucket was full), and the bucket is now in debt.
        JsonNode first = reply(reader, "history", channel().put("limit", 4));
        assertThat(first.path("status").asText()).isEqualTo("success");
        assertThat(first.path("payload").path("data").path("count").asInt()).isEqualTo(4);

        for (String command : new String[] {"history", "history.get", "history.replay"}) {
            ObjectNode args = channel();
            if (command.equals("history.replay")) {
                args.put("from_ts", Instant.now().minusSeconds(60).toString()).put("to_ts", Instant.now().plusSeconds(60).toString());
            }
            JsonNode refused = reply(reader, command, args);
            assertThat(refused.path("status").asText()).as(command).isEqualTo("error");
            assertThat(refused.path("error_code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(refused.path("error").asText()).contains("budget").contains("retry in");
            long retryAfter = refused.path("payload").path("data").path("retry_after_ms").asLong();
            assertThat(retryAfter).as("retry_after_ms").isBetween(1L, 5_000L);
        }

        // Another connection has a budget of its own.
        TestClient other = server.connect();
        assertThat(reply(other, "history", channel().put("limit", 1)).path("status").asText()).isEqualTo("success");

        // Once the hinted time has passed, the same read is answered (bounded number of tries).
        JsonNode later = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            later = reply(reader, "history", channel().put("limit", 1));
            if ("success".equals(later.path("status").asText())) {
                break;
            }
            long retryAfter = later.path("payload").path("data").path("retry_after_ms").asLong();
            Thread.sleep(Math.min(Math.max(retryAfter, 1), 2_000));
        }
        assertThat(later.path("status").asText()).isEqualTo("success");
        assertThat(later.path("payload").path("data").path("history").get(0).path("payload").path("n").asInt())
                .isEqualTo(4);
        assertThat(reader.isClosed()).isFalse();
    }

    @Test
    void argumentsAreValidatedBeforeTheBudgetIsAsked() throws Exception {
        server.bus().publish("budget", "log", TestClient.parse("{\"n\":0}"));
        TestClient reader = server.connect();
        JsonNode invalid = reply(reader, "history", TestClient.object().put("room", "budget").put("limit", 0));
        assertThat(invalid.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }
}
