package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.config.WebhookSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code op.webhook.*} end to end with a real HTTP receiver on loopback. */
class WebhookDeliveryTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.webhooks(WebhookSettings.defaults()
            .withRetryInitialDelay(Duration.ofMillis(50)).withRetryMaxDelay(Duration.ofMillis(200))
            .withMaxAttempts(5).withMaxRulesPerClient(3)));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final AtomicInteger IDS = new AtomicInteger();

    static JsonNode reply(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args)).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    static void assertError(JsonNode reply, String code, String text) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).isEqualTo(code);
        assertThat(reply.path("error").asText()).contains(text);
    }

    /** Publishes with a known id and waits for the echo; returns the id. */
    static String publish(TestClient client, String room, String channel, int n) throws Exception {
        String id = "arq_wh_" + IDS.incrementAndGet();
        ObjectNode frame = TestClient.object().put("id", id).put("type", "message").put("room", room);
        if (channel != null) {
            frame.put("channel", channel);
        }
        frame.putObject("payload").put("n", n);
        client.send(frame).join();
        client.await(f -> "message_response".equals(f.path("type").asText()) && id.equals(f.path("id").asText()), T);
        return id;
    }

    static JsonNode rule(TestClient owner, String ruleId) throws Exception {
        for (JsonNode rule : data(reply(owner, "op.webhook.list", "{}")).path("rules")) {
            if (rule.path("rule_id").asText().equals(ruleId)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + ruleId);
    }

    @Test
    void registerListUnregisterHaveTheOriginalsShapesAndOwnersRules() throws Exception {
        TestClient owner = server.connect();
        TestClient other = server.connect();
        JsonNode registered = data(reply(owner, "op.webhook.register",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"room\":\"ops\",\"channel\":\"alerts-*\"}"));
        String id = registered.path("rule_id").asText();
        assertThat(id).matches("wh_[0-9a-f]{12}");
        assertThat(registered.path("url").asText()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(registered.path("room").asText()).isEqualTo("ops");
        assertThat(registered.path("channel").asText()).isEqualTo("alerts-*");
        assertThat(registered.path("timeout_seconds").asDouble()).isEqualTo(2.0);
        assertThat(Instant.parse(registered.path("created_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(registered.path("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(data(reply(owner, "op.webhook.register", "{\"url\":\"https://example.invalid/x\",\"timeout_seconds\":0.5}"))
                .path("room").isNull()).isTrue();

        JsonNode list = data(reply(owner, "op.webhook.list", "{}"));
        assertThat(list.path("count").asInt()).isEqualTo(2);
        JsonNode first = list.path("rules").get(0);
        assertThat(first.path("rule_id").asText()).isEqualTo(id);
        assertThat(first.path("owner_client_id").asText()).isEqualTo(owner.clientId());
        assertThat(first.has("secret")).isFalse();
        assertThat(first.path("stats").toString()).isEqualTo("{\"delivered\":0,\"failed\":0,\"retried\":0,"
                + "\"dropped\":0,\"pending\":0,\"last_status\":null,\"last_error\":null,\"attempts\":0,\"queued\":0,"
                + "\"circuit\":\"closed\"}");
        assertThat(first.path("origin").asText()).isEqualTo("connection");
        assertThat(list.path("rules").get(1).path("timeout_seconds").asDouble()).isEqualTo(0.5);
        assertThat(data(reply(other, "op.webhook.list", "{}")).toString()).isEqualTo("{\"rules\":[],\"count\":0}");

        assertError(reply(other, "op.webhook.unregister", "{\"rule_id\":\"" + id + "\"}"), "AUTHORIZATION_ERROR",
                "belongs to another client");
        assertError(reply(owner, "op.webhook.unregister", "{\"rule_id\":\"wh_000000000000\"}"), "NOT_FOUND",
                "Webhook rule not found: wh_000000000000");
        assertThat(data(reply(owner, "op.webhook.unregister", "{\"rule_id\":\"" + id + "\"}")).toString())
                .isEqualTo("{\"rule_id\":\"" + id + "\"}");
        assertThat(data(reply(owner, "op.webhook.list", "{}")).path("count").asInt()).isEqualTo(1);
        data(reply(owner, "op.webhook.register", "{\"url\":\"http://127.0.0.1:9/b\"}"));
        data(reply(owner, "op.webhook.register", "{\"url\":\"http://127.0.0.1:9/c\"}"));
        assertError(reply(owner, "op.webhook.register", "{\"url\":\"http://127.0.0.1:9/d\"}"), "CONFLICT",
                "ARQONBUS_WEBHOOK_MAX_RULES_PER_CLIENT");

        // The owner's rules go when it disconnects.
        double before = rules();
        owner.close();
        await().atMost(T).until(() -> rules() == before - 3);
    }

    private static double rules() {
        return server.components().metrics().registry().get("arqonbus.webhook.rules").gauge().value();
    }

    @Test
    void badRegistrationsAreRefusedWithValidationErrors() throws Exception {
        TestClient c = server.connect();
        assertError(reply(c, "op.webhook.register", "{}"), "VALIDATION_ERROR", "'url' is required");
        for (String url : List.of("ftp://127.0.0.1/x", "not a url", "/relative", "file:///etc/passwd",
                "http://user:pw@127.0.0.1/x")) {
            assertThat(reply(c, "op.webhook.register", "{\"url\":\"" + url + "\"}").path("error_code").asText())
                    .as(url).isEqualTo("VALIDATION_ERROR");
        }
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"timeout_seconds\":0}"),
                "VALIDATION_ERROR", "'timeout_seconds'");
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"timeout_seconds\":\"2\"}"),
                "VALIDATION_ERROR", "'timeout_seconds'");
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"Host\":\"a\"}}"),
                "VALIDATION_ERROR", "set by the server");
        assertError(reply(c, "op.webhook.register",
                "{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"X-ArqonBus-Signature\":\"a\"}}"),
                "VALIDATION_ERROR", "set by the server");
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"A\":1}}"),
                "VALIDATION_ERROR", "string value");
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"A\":\"x\\r\\nB: y\"}}"),
                "VALIDATION_ERROR", "control characters");
        assertError(reply(c, "op.webhook.register", "{\"url\":\"http://127.0.0.1/x\",\"secret\":\"short\"}"),
                "VALIDATION_ERROR", "'secret'");
        assertError(reply(c, "op.webhook.unregister", "{}"), "VALIDATION_ERROR", "'rule_id' is required");
        assertThat(data(reply(c, "op.webhook.list", "{}")).path("count").asInt()).isZero();
    }

    @Test
    void everyMatchingPublicationArrivesSignedAndNothingElse() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestClient owner = server.connect();
            TestClient publisher = server.connect();
            JsonNode rule = data(reply(owner, "op.webhook.register", "{\"url\":\"" + receiver.url("/in")
                    + "\",\"room\":\"hooks\",\"channel\":\"alerts-*\",\"headers\":{\"Authorization\":\"Bearer r-token\"}}"));
            String ruleId = rule.path("rule_id").asText();
            String secret = rule.path("secret").asText();
            JsonNode exact = data(reply(owner, "op.webhook.register", "{\"url\":\"" + receiver.url("/exact")
                    + "\",\"room\":\"hooks\",\"channel\":\"plain\",\"secret\":\"my-own-secret-0123456789\"}"));

            List<String> matching = new ArrayList<>();
            matching.add(publish(publisher, "hooks", "alerts-1", 1));
            publish(publisher, "hooks", "other", 2);
            publish(publisher, "elsewhere", "alerts-1", 3);
            publish(publisher, "hooks", null, 4);
            matching.add(publish(publisher, "hooks", "alerts-2", 5));
            String plain = publish(publisher, "hooks", "plain", 6);
            server.bus().publish("hooks", "alerts-host", TestClient.object().put("n", 7));

            await().atMost(T).until(() -> receiver.delivered().size() >= 4);
            List<Receiver.Request> got = receiver.delivered();
            Map<String, List<Receiver.Request>> byPath = got.stream()
                    .collect(Collectors.groupingBy(Receiver.Request::path));
            assertThat(byPath.get("/in")).hasSize(3);
            assertThat(byPath.get("/exact")).hasSize(1);
            for (Receiver.Request request : byPath.get("/in")) {
                JsonNode body = request.json();
                assertThat(body.path("rule_version").asText()).isEqualTo("v1");
                JsonNode envelope = body.path("envelope");
                assertThat(envelope.path("room").asText()).isEqualTo("hooks");
                assertThat(envelope.path("channel").asText()).startsWith("alerts-");
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.header("Authorization")).isEqualTo("Bearer r-token");
                assertThat(request.header("X-ArqonBus-Event-Id")).isEqualTo(envelope.path("id").asText() + ":" + ruleId);
                String timestamp = request.header("X-ArqonBus-Timestamp");
                assertThat(Long.parseLong(timestamp)).isCloseTo(Instant.now().getEpochSecond(),
                        org.assertj.core.data.Offset.offset(30L));
                assertThat(request.header("X-ArqonBus-Signature"))
                        .isEqualTo(Signature.sign(secret, timestamp, request.body()));
                assertThat(Signature.sign("whsec_wrong", timestamp, request.body()))
                        .isNotEqualTo(request.header("X-ArqonBus-Signature"));
            }
            Set<String> ids = byPath.get("/in").stream().map(r -> r.json().path("envelope").path("id").asText())
                    .collect(Collectors.toSet());
            assertThat(ids).containsAll(matching).hasSize(3);
            Receiver.Request fromClient = byPath.get("/in").stream()
                    .filter(r -> r.json().path("envelope").path("id").asText().equals(matching.get(0))).findFirst()
                    .orElseThrow();
            assertThat(fromClient.json().path("sender_client_id").asText()).isEqualTo(publisher.clientId());
            assertThat(fromClient.json().path("envelope").path("payload").path("n").asInt()).isEqualTo(1);
            assertThat(fromClient.json().path("envelope").path("metadata").path("offset").asLong()).isEqualTo(1);
            Receiver.Request fromHost = byPath.get("/in").stream()
                    .filter(r -> r.json().path("envelope").path("channel").asText().equals("alerts-host"))
                    .findFirst().orElseThrow();
            assertThat(fromHost.json().path("sender_client_id").asText()).isEqualTo("arqonbus");
            Receiver.Request exactOne = byPath.get("/exact").get(0);
            assertThat(exactOne.json().path("envelope").path("id").asText()).isEqualTo(plain);
            assertThat(exactOne.header("X-ArqonBus-Signature")).isEqualTo(Signature.sign("my-own-secret-0123456789",
                    exactOne.header("X-ArqonBus-Timestamp"), exactOne.body()));

            JsonNode stats = rule(owner, ruleId).path("stats");
            assertThat(stats.path("delivered").asLong()).isEqualTo(3);
            assertThat(stats.path("pending").asLong()).isZero();
            assertThat(stats.path("last_status").asInt()).isEqualTo(200);
            assertThat(rule(owner, exact.path("rule_id").asText()).path("stats").path("delivered").asLong())
                    .isEqualTo(1);
            // Nothing that did not match arrived, and nothing twice.
            assertThat(receiver.requests()).hasSize(4);
        }
    }

    @Test
    void aReceiverThatFailsForAWhileGetsEveryEventAtLeastOnceAndTheStatsMatch() throws Exception {
        try (Receiver receiver = new Receiver().failFirst(7)) {
            TestClient owner = server.connect();
            TestClient publisher = server.connect();
            String ruleId = data(reply(owner, "op.webhook.register", "{\"url\":\"" + receiver.url("/flaky")
                    + "\",\"room\":\"flaky\"}")).path("rule_id").asText();
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(publish(publisher, "flaky", "c", i) + ":" + ruleId);
            }
            await().atMost(T).until(() -> receiver.delivered().stream()
                    .map(r -> r.header("X-ArqonBus-Event-Id")).collect(Collectors.toSet()).containsAll(events));
            await().atMost(T).until(() -> rule(owner, ruleId).path("stats").path("pending").asLong() == 0);
            JsonNode stats = rule(owner, ruleId).path("stats");
            assertThat(stats.path("delivered").asLong()).isEqualTo(5);
            assertThat(stats.path("failed").asLong()).isZero();
            assertThat(stats.path("retried").asLong()).isEqualTo(7);
            assertThat(stats.path("last_status").asInt()).isEqualTo(200);
            assertThat(stats.path("last_error").isNull()).isTrue();
            assertThat(receiver.requests()).hasSize(12);
            // Every attempt of one event carried the same id: the receiver can deduplicate.
            assertThat(receiver.requests().stream().map(r -> r.header("X-ArqonBus-Event-Id")).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(events);

            String scrape = server.components().metrics().scrape();
            assertThat(scrape).contains("arqonbus_webhook_deliveries_total{outcome=\"delivered\",rule_id=\"" + ruleId
                    + "\"} 5.0", "arqonbus_webhook_deliveries_total{outcome=\"retried\",rule_id=\"" + ruleId
                    + "\"} 7.0", "arqonbus_webhook_pending{rule_id=\"" + ruleId + "\"} 0.0");
        }
    }

    @Test
    void aReceiverThatNeverRecoversExhaustsTheRetryBudgetAndA4xxIsNotRetried() throws Exception {
        try (Receiver down = new Receiver().always(503); Receiver refusing = new Receiver().always(400)) {
            TestClient owner = server.connect();
            TestClient publisher = server.connect();
            String downId = data(reply(owner, "op.webhook.register", "{\"url\":\"" + down.url("/")
                    + "\",\"room\":\"budget\",\"timeout_seconds\":1}")).path("rule_id").asText();
            String refusingId = data(reply(owner, "op.webhook.register", "{\"url\":\"" + refusing.url("/")
                    + "\",\"room\":\"budget\"}")).path("rule_id").asText();
            publish(publisher, "budget", "c", 1);
            await().atMost(T).until(() -> rule(owner, downId).path("stats").path("failed").asLong() == 1);
            JsonNode stats = rule(owner, downId).path("stats");
            assertThat(stats.path("retried").asLong()).isEqualTo(4);
            assertThat(stats.path("delivered").asLong()).isZero();
            assertThat(stats.path("pending").asLong()).isZero();
            assertThat(stats.path("last_status").asInt()).isEqualTo(503);
            assertThat(stats.path("last_error").asText()).isEqualTo("HTTP 503");
            assertThat(down.requests()).hasSize(5);

            await().atMost(T).until(() -> rule(owner, refusingId).path("stats").path("failed").asLong() == 1);
            assertThat(rule(owner, refusingId).path("stats").path("retried").asLong()).isZero();
            assertThat(refusing.requests()).hasSize(1);
        }
    }

    @Test
    void anUnreachableReceiverIsRetriedAndCountedAsFailedWithTheReason() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TestClient owner = server.connect();
        String id = data(reply(owner, "op.webhook.register", "{\"url\":\"http://127.0.0.1:" + closedPort
                + "/x\",\"room\":\"unreachable\"}")).path("rule_id").asText();
        publish(owner, "unreachable", "c", 1);
        await().atMost(T).until(() -> rule(owner, id).path("stats").path("failed").asLong() == 1);
        JsonNode stats = rule(owner, id).path("stats");
        assertThat(stats.path("retried").asLong()).isEqualTo(4);
        assertThat(stats.path("last_status").isNull()).isTrue();
        assertThat(stats.path("last_error").asText()).contains("Connect");
    }
}
