package io.arqonbus.server.internal.webhook;

import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.data;
import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.reply;
import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.client.ArqonBusClient;
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
            .withMaxInFlight(32).withMaxInFlightPerRule(4)));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static String register(ArqonBusClient owner, String url, String room, double timeout) throws Exception {
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
                Receiver slow = new Receiver().answerAfter(2_000)) {
            ArqonBusClient owner = server.connect();
            String room = "bulkhead";
            String refusedId = register(owner, "http://127.0.0.1:" + refusedPort() + "/dead", room, 1);
            String failingId = register(owner, failing.url("/500"), room, 1);
            String slowId = register(owner, slow.url("/slow"), room, 0.5);
            String healthyId = register(owner, healthy.url("/ok"), room, 2);

            int count = 40;
            Map<String, Long> sentAt = new HashMap<>();
            for (int i = 0; i < count; i++) {
                Envelope sent = server.bus().publish(room, "c", ArqonBusClient.object().put("n", i));
                sentAt.put(sent.id(), System.nanoTime());
            }
            await().atMost(T).until(() -> healthy.delivered().size() == count);
            // The dead rules are still at it (queued behind their bulkheads, retrying or held by an open
            // circuit) when the healthy one has everything.
            long deadPending = rule(owner, refusedId).path("stats").path("pending").asLong()
                    + rule(owner, failingId).path("stats").path("pending").asLong()
                    + rule(owner, slowId).path("stats").path("pending").asLong();
            assertThat(deadPending).isPositive();

            long worstMillis = 0;
            for (Receiver.Request request : healthy.delivered()) {
                String envelopeId = request.json().path("envelope").path("id").asText();
                worstMillis = Math.max(worstMillis, (request.receivedNanos() - sentAt.get(envelopeId)) / 1_000_000);
            }
            // Loose on a shared 2-core machine; a shared queue or pool would put the healthy
            // deliveries behind 2 s answers and refused retries.
            assertThat(worstMillis).as("worst healthy latency (ms)").isLessThan(1_500);
            JsonNode stats = rule(owner, healthyId).path("stats");
            assertThat(stats.path("delivered").asLong()).isEqualTo(count);
            assertThat(stats.path("attempts").asLong()).isEqualTo(count);
            assertThat(stats.path("retried").asLong()).isZero();
            assertThat(stats.path("circuit").asText()).isEqualTo("closed");
            // The slow endpoint never had more than its bulkhead's 4 requests at once.
            assertThat(slow.maxConcurrent()).isBetween(1, 4);
            owner.close();
        }
    }

    @Test
    void retryAfterIsWaitedFor() throws Exception {
        try (Receiver receiver = new Receiver().failStatus(503).failFirst(1).retryAfter("2")) {
            ArqonBusClient owner = server.connect();
            String id = register(owner, receiver.url("/later"), "retry-after", 2);
            server.bus().publish("retry-after", "c", ArqonBusClient.object().put("n", 1));
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
            ArqonBusClient owner = server.connect();
            String id = register(owner, receiver.url("/flaky"), "circuit", 2);
            server.bus().publish("circuit", "c", ArqonBusClient.object().put("n", 1));
            // Three failed attempts open it; the fourth attempt meets the open circuit and sends nothing.
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("circuit").asText().equals("open"));
            await().atMost(T).until(() -> rule(owner, id).path("stats").path("failed").asLong() == 1);
            assertThat(receiver.requests()).hasSize(3);
            assertThat(rule(owner, id).path("stats").path("attempts").asLong()).isEqualTo(3);

            // While open, a new delivery waits in the rule's queue: nothing reaches the receiver.
            receiver.always(0).answerAfter(800);
            server.bus().publish("circuit", "c", ArqonBusClient.object().put("n", 2));
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
