package io.arqonbus.server.internal.webhook;

import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.data;
import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.reply;
import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.WebhookSettings;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhook deliveries against real receivers on loopback that misbehave: refused connections, 500s,
 * slow answers, {@code Retry-After}; each rule's lane (Failsafe retry, circuit breaker, bulkhead)
 * keeps a dead endpoint from delaying the others.
 */
class WebhookResilienceTest {
    static final Duration OPEN_DELAY = Duration.ofMillis(1500);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.webhooks(WebhookSettings.defaults()
            .withRetryInitialDelay(Duration.ofMillis(50)).withRetryMaxDelay(Duration.ofSeconds(3))
            .withMaxAttempts(4).withCircuitFailureThreshold(3).withCircuitOpenDelay(OPEN_DELAY)
            .withMaxInFlight(8).withMaxInFlightPerRule(2)));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static String register(TestClient owner, String url, String room, double timeout) throws Exception {
        return data(reply(owner, "op.webhook.register", "{\"url\":\"" + url + "\",\"room\":\"" + room
                + "\",\"timeout_seconds\":" + timeout + "}")).path("rule_id").asText();
    }

    private static int refusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again: connections to it are refused
        }
    }

    @Test
    void deadEndpointsBesideAHealthyOneNeverDelayIt() throws Exception {
        try (Receiver healthy = new Receiver(); Receiver failing = new Receiver().always(500);
                Receiver slow = new Receiver().answerAfter(3_000)) {
            TestClient owner = server.connect();
            String room = "bulkhead";
            String healthyId = register(owner, healthy.url("/ok"), room, 2);
            // Warm up (the HTTP client's first connection, class loading) before anything is measured.
            server.bus().publish(room, "warm-up", TestClient.object().put("n", -1));
            await().atMost(T).until(() -> healthy.delivered().size() == 1);
            String refusedId = register(owner, "http://127.0.0.1:" + refusedPort() + "/dead", room, 1);
            String failingId = register(owner, failing.url("/500"), room, 1);
            String slowId = register(owner, slow.url("/slow"), room, 5); // answers, but 3 s late

            int count = 40;
            Map<String, Long> sentAt = new HashMap<>();
            for (int i = 0; i < count; i++) {
                Envelope sent = server.bus().publish(room, "c", TestClient.object().put("n", i));
                sentAt.put(sent.id(), System.nanoTime());
            }
            await().atMost(T).until(() -> healthy.delivered().size() == count + 1);
            // The dead rules are still at it (queued behind their bulkheads, retrying or held by an open
            // circuit) when the healthy one has everything.
            long deadPending = rule(owner, refusedId).path("stats").path("pending").asLong()
                    + rule(owner, failingId).path("stats").path("pending").asLong()
                    + rule(owner, slowId).path("stats").path("pending").asLong();
            assertThat(deadPending).isPositive();

            List<Long> latencies = new java.util.ArrayList<>();
            for (Receiver.Request request : healthy.delivered()) {
                Long sent = sentAt.get(request.json().path("envelope").path("id").asText());
                if (sent != null) {
                    latencies.add((request.receivedNanos() - sent) / 1_000_000);
                }
            }
            latencies.sort(null);
            long worstMillis = latencies.get(latencies.size() - 1);
            // Loose on a shared, loaded 2-core machine. With one pool of 8 requests for every rule, the
            // slow rule's 40 deliveries would hold all 8 for 3 s at a time, and the last healthy
            // deliveries would wait 10 s and more; here the slow rule holds its bulkhead's 2.
            System.out.println("webhook bulkhead test: healthy publish-to-arrival latency median "
                    + latencies.get(latencies.size() / 2) + " ms, worst " + worstMillis + " ms over " + latencies.size()
                    + " deliveries; dead rules still holding " + deadPending);
            assertThat(worstMillis).as("worst healthy latency (ms)").isLessThan(5_000);
            JsonNode stats = rule(owner, healthyId).path("stats");
            assertThat(latencies).hasSize(count);
            assertThat(stats.path("delivered").asLong()).isEqualTo(count + 1);
            assertThat(stats.path("attempts").asLong()).isEqualTo(count + 1);
            assertThat(stats.path("retried").asLong()).isZero();
            assertThat(stats.path("circuit").asText()).isEqualTo("closed");
            // The slow endpoint never had more than its bulkhead's 2 requests at once (all of them
            // answered within the timeout, so none was abandoned and retried meanwhile).
            assertThat(slow.maxConcurrent()).isBetween(1, 2);
            owner.close();
        }
    }

    @Test
    void retryAfterIsWaitedFor() throws Exception {
        try (Receiver receiver = new Receiver().failStatus(503).failFirst(1).retryAfter("2")) {
            TestClient owner = server.connect();
            String id = register(owner, receiver.url("/later"), "retry-after", 2);
            server.bus().publish("retry-after", "c", TestClient.object().put("n", 1));
            await().atMost(T).until(() -> receiver.delivered().size() == 1);
            List<Receiver.Request> requests = receiver.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0).answered()).isEqualTo(503);
            long waited = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
            // Without Retry-After the jittered wait is at most 50 ms.
            assertThat(waited).as("wait before the retry (ms)").isBetween(1_900L, 3_000L);
            assertThat(requests.get(1).header("webhook-id")).isEqualTo(requests.get(0).header("webhook-id"));
            JsonNode stats = rule(owner, id).path("stats");
            assertThat(stats.path("attempts").asLong()).isEqualTo(2);
            assertThat(stats.path("retried").asLong()).isEqualTo(1);
            owner.close();
        }
    }

    @Test
    void theCircuitOpensHoldsDeliveriesThenHalfOpensWithOneProbeAndCloses() throws Exception {
        try (Receiver receiver = new Receiver().always(500)) {
            TestClient owner = server.connect();
            String id = register(owner, receiver.url("/flaky"), "circuit", 2);
            server.bus().publish("circuit", "c", TestClient.object().put("n", 1));
            // Three failed attempts open it; the fourth attempt meets the open circuit and sends nothing.
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("circuit").asText().equals("open"));
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("failed").asLong() == 1);
            assertThat(receiver.requests()).hasSize(3);
            assertThat(rule(owner, id).path("stats").path("attempts").asLong()).isEqualTo(3);

            // While open, a new delivery waits in the rule's queue: nothing reaches the receiver.
            receiver.always(0).answerAfter(800);
            server.bus().publish("circuit", "c", TestClient.object().put("n", 2));
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("queued").asLong() == 1);
            assertThat(receiver.requests()).hasSize(3);

            // After the open delay one probe goes (half-open); its success closes the circuit.
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("circuit").asText().equals("half_open"));
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("circuit").asText().equals("closed"));
            await().atMost(T).until(() -> receiver.delivered().size() == 1);
            JsonNode stats = rule(owner, id).path("stats");
            assertThat(stats.path("delivered").asLong()).isEqualTo(1);
            assertThat(stats.path("pending").asLong()).isZero();
            assertThat(prometheus()).contains("arqonbus_webhook_circuit_state{rule_id=\"" + id + "\"} 0.0");
            owner.close();
        }
    }

    private static String prometheus() {
        return server.components().metrics().scrape();
    }
}
