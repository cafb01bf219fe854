package io.arqonbus.server.internal.history;

import io.arqonbus.server.BusInternals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with {@code --store file:<dir>}: durable acks come after the store confirmed; after a
 * restart over the same directory, history is still there and offsets go on in the same epoch.
 */
class FileStoreRestartTest {
    private static final Duration TIMEOUT = ArqonBusExtension.TIMEOUT;

    @TempDir
    Path data;

    private ArqonBus start() {
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1").port(0).telemetryPort(-1).httpPort(0).ioThreads(2)
                .statsInterval(Duration.ZERO).shutdownGrace(Duration.ofMillis(200))
                .store(StoreLocation.file(data.resolve("history")))
                .build();
        ArqonBus bus = ArqonBus.builder().config(config).build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        return bus;
    }

    private static TestClient connect(ArqonBus bus) {
        URI uri = URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
        return TestClient.connect(uri).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Publishes {@code {"n": n}} asking for a durable ack; returns the ack's payload. */
    private static JsonNode publishDurably(TestClient client, int n) throws Exception {
        send(client, n);
        JsonNode ack = client.await(f -> "ack".equals(f.path("type").asText())
                && ("arq_m" + n).equals(f.path("request_id").asText()), TIMEOUT);
        assertThat(ack.path("status").asText()).isEqualTo("success");
        return ack.path("payload");
    }

    private static void send(TestClient client, int n) {
        ObjectNode frame = TestClient.object();
        frame.put("id", "arq_m" + n);
        frame.put("type", "message");
        frame.put("room", "ledger");
        frame.put("channel", "main");
        frame.put("ack", "durable");
        frame.set("payload", TestClient.object().put("n", n));
        client.send(frame);
    }

    private static JsonNode command(TestClient client, String name, ObjectNode args) {
        JsonNode reply = client.command(name, args).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    @Test
    void historyAndStreamPositionsSurviveARestart() throws Exception {
        String epoch;
        ArqonBus first = start();
        try (TestClient client = connect(first)) {
            assertThat(BusInternals.of(first).history().backend()).isEqualTo("file");
            List<Long> offsets = new ArrayList<>();
            JsonNode ack = null;
            for (int n = 1; n <= 5; n++) {
                ack = publishDurably(client, n);
                offsets.add(ack.path("offset").asLong());
                assertThat(ack.path("duplicate").asBoolean()).isFalse();
            }
            assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L);
            epoch = ack.path("epoch").asText();
            assertThat(epoch).isNotBlank();
        } finally {
            first.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }

        ArqonBus second = start();
        try (TestClient client = connect(second)) {
            // The stored channels exist again before anyone joins: their history can be read and
            // channel_info shows the stream's position.
            JsonNode info = command(client, "channel_info",
                    TestClient.object().put("room", "ledger").put("channel", "main"));
            assertThat(info.path("offset").asLong()).as("%s", info).isEqualTo(5);
            assertThat(info.path("epoch").asText()).isEqualTo(epoch);
            JsonNode joined = command(client, "join_channel",
                    TestClient.object().put("room", "ledger").put("channel", "main"));
            assertThat(joined.path("offset").asLong()).as("%s", joined).isEqualTo(5);
            assertThat(joined.path("epoch").asText()).isEqualTo(epoch);

            JsonNode history = command(client, "history",
                    TestClient.object().put("room", "ledger").put("channel", "main").put("limit", 10));
            assertThat(history.path("count").asInt()).isEqualTo(5);
            List<Integer> numbers = new ArrayList<>();
            for (JsonNode entry : history.path("history")) {
                numbers.add(entry.path("payload").path("n").asInt());
                assertThat(entry.path("metadata").path("epoch").asText()).isEqualTo(epoch);
                assertThat(entry.path("metadata").path("offset").asLong()).isEqualTo(numbers.size());
            }
            assertThat(numbers).containsExactly(1, 2, 3, 4, 5);

            JsonNode sixth = publishDurably(client, 6);
            assertThat(sixth.path("offset").asLong()).isEqualTo(6);
            assertThat(sixth.path("epoch").asText()).isEqualTo(epoch);

            // A client that saw offset 3 before the restart recovers what it missed, from disk.
            try (TestClient late = connect(second)) {
                ObjectNode args = TestClient.object().put("room", "ledger").put("channel", "main");
                args.set("recover", TestClient.object().put("offset", 3).put("epoch", epoch));
                JsonNode recovered = command(late, "join_channel", args);
                assertThat(recovered.path("recovered").asBoolean()).as("%s", recovered).isTrue();
                assertThat(recovered.path("missed").asLong()).isEqualTo(3);
                List<Integer> missed = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    missed.add(late.await(f -> "message".equals(f.path("type").asText()), TIMEOUT)
                            .path("payload").path("n").asInt());
                }
                assertThat(missed).containsExactly(4, 5, 6);
            }
        } finally {
            second.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Publishes {@code {"n": n}} with an idempotency key, asking for a durable ack; returns the ack's payload. */
    private static JsonNode publishWithKey(TestClient client, String id, String channel, String idempotencyKey)
            throws Exception {
        ObjectNode frame = TestClient.object();
        frame.put("id", id);
        frame.put("type", "message");
        frame.put("room", "ledger");
        frame.put("channel", channel);
        frame.put("ack", "durable");
        frame.set("payload", TestClient.object().put("text", "x".repeat(20_000)));
        frame.putObject("metadata").put("idempotency_key", idempotencyKey);
        client.send(frame);
        JsonNode ack = client.await(f -> "ack".equals(f.path("type").asText())
                && id.equals(f.path("request_id").asText()), TIMEOUT);
        assertThat(ack.path("status").asText()).as("%s", ack).isEqualTo("success");
        return ack.path("payload");
    }

    @Test
    void idempotencyKeysStoredBeforeARestartStillMakeRetriesDuplicates() throws Exception {
        ArqonBus first = start();
        try (TestClient client = connect(first)) {
            for (int n = 1; n <= 30; n++) {
                String channel = n % 2 == 0 ? "even" : "odd";
                assertThat(publishWithKey(client, "arq_k" + n, channel, "order-" + n).path("duplicate").asBoolean())
                        .isFalse();
            }
            publishDurably(client, 31); // a publication without a key, on another channel
        } finally {
            first.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }

        ArqonBus second = start();
        try (TestClient client = connect(second)) {
            // order-7 was the 4th publication on "odd", order-30 the 15th on "even".
            JsonNode retry = publishWithKey(client, "arq_r7", "odd", "order-7");
            assertThat(retry.path("duplicate").asBoolean()).as("%s", retry).isTrue();
            assertThat(retry.path("offset").asLong()).isEqualTo(4);
            JsonNode retryEven = publishWithKey(client, "arq_r30", "even", "order-30");
            assertThat(retryEven.path("duplicate").asBoolean()).as("%s", retryEven).isTrue();
            assertThat(retryEven.path("offset").asLong()).isEqualTo(15);
            // A key stored on another channel is not a duplicate here.
            JsonNode elsewhere = publishWithKey(client, "arq_x7", "even", "order-7");
            assertThat(elsewhere.path("duplicate").asBoolean()).as("%s", elsewhere).isFalse();
            assertThat(elsewhere.path("offset").asLong()).isEqualTo(16);
        } finally {
            second.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void aStoreThatCannotWriteTellsDurablePublishersAndTurnsHealthDegraded() throws Exception {
        ArqonBus bus = start();
        try (TestClient client = connect(bus)) {
            publishDurably(client, 1);
            ((RocksHistoryStore) BusInternals.of(bus).history()).engine().close(); // the disk goes away

            send(client, 2);
            JsonNode error = client.await(f -> "error".equals(f.path("type").asText())
                    && "arq_m2".equals(f.path("request_id").asText()), TIMEOUT);
            assertThat(error.path("error_code").asText()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(error.path("error").asText())
                    .isEqualTo("The message was not stored, and not delivered: the history store is closed");
            assertThat(error.path("payload").path("errors").path(0).asText()).isEqualTo("the history store is closed");

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bus.httpAddress().getPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("degraded").contains("history store (file) is unavailable");
            // The connection stays usable.
            JsonNode pong = command(client, "ping", TestClient.object());
            assertThat(pong).isNotNull();
        } finally {
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
