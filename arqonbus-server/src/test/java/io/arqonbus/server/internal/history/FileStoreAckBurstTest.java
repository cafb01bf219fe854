package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the file store, durable acks come from the store's writer a group at a time and reach each
 * loop in batches: a burst of publishes from connections on different loops, sent without waiting,
 * is acknowledged once each, in the order each connection sent it, every offset once.
 */
class FileStoreAckBurstTest {
    private static final Duration TIMEOUT = ArqonBusExtension.TIMEOUT;
    private static final int PER_PUBLISHER = 400;
    private static final int PUBLISHERS = 3;

    @TempDir
    Path data;

    @Test
    void aBurstOfDurablePublishesIsAcknowledgedOnceEachInOrder() throws Exception {
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1").port(0).telemetryPort(-1).httpPort(-1).ioThreads(2)
                .statsInterval(Duration.ZERO).shutdownGrace(Duration.ofMillis(200))
                .maxHistorySize(PER_PUBLISHER * PUBLISHERS)
                .store(StoreLocation.file(data.resolve("history")))
                .build();
        ArqonBus bus = ArqonBus.builder().config(config).build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        List<TestClient> clients = new ArrayList<>();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
            for (int p = 0; p < PUBLISHERS; p++) {
                clients.add(TestClient.connect(uri).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join());
            }
            for (int n = 1; n <= PER_PUBLISHER; n++) {
                for (int p = 0; p < PUBLISHERS; p++) {
                    clients.get(p).send(publish(p, n));
                }
            }
            List<Long> offsets = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                long previous = 0;
                for (int n = 1; n <= PER_PUBLISHER; n++) {
                    JsonNode ack = clients.get(p).await(f -> "ack".equals(f.path("type").asText()), TIMEOUT);
                    assertThat(ack.path("request_id").asText()).as("publisher %d's acks in its order", p)
                            .isEqualTo(id(p, n));
                    assertThat(ack.path("status").asText()).isEqualTo("success");
                    long offset = ack.path("payload").path("offset").asLong();
                    assertThat(offset).as("offsets grow per publisher").isGreaterThan(previous);
                    previous = offset;
                    offsets.add(offset);
                }
            }
            assertThat(offsets).as("every offset once").doesNotHaveDuplicates().hasSize(PER_PUBLISHER * PUBLISHERS)
                    .allMatch(o -> o >= 1 && o <= PER_PUBLISHER * PUBLISHERS);
            for (TestClient client : clients) {
                JsonNode extra = client.poll(Duration.ofMillis(200));
                assertThat(extra == null || !"ack".equals(extra.path("type").asText())).as("no second ack: %s", extra)
                        .isTrue();
            }
        } finally {
            clients.forEach(TestClient::close);
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    private static String id(int publisher, int n) {
        return "arq_b" + publisher + "_" + n;
    }

    private static ObjectNode publish(int publisher, int n) {
        ObjectNode frame = TestClient.object();
        frame.put("id", id(publisher, n));
        frame.put("type", "message");
        frame.put("room", "burst");
        frame.put("channel", "main");
        frame.put("ack", "durable");
        frame.set("payload", TestClient.object().put("n", n));
        return frame;
    }
}
