package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.Frames;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.TestRedis;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane as cluster state, with three nodes of one cluster in this JVM on a real
 * redis-server and real WebSocket clients (auth on, so that admins exist): a channel created on
 * one node is listed on another and deletable from a third, a private channel's list admits and
 * refuses on another node, a CASIL reload blocks on another node, and a webhook rule registered on
 * one node fires once per publication accepted on another (a real loopback HTTP receiver counts).
 */
@ExtendWith(TestRedis.class)
class ClusterControlTest {
    private static final String SECRET = "cluster-control-test-secret-at-least-32-bytes";
    private static final String API_ADMIN = "cluster-admin-key-0123456789";
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final TestRedis redis;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private HttpServer receiver;

    ClusterControlTest(TestRedis redis) {
        this.redis = redis;
    }

    @BeforeEach
    void startThreeNodes() {
        RedisConfig shared = redis.config();
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id)
                    .authEnabled(true).jwtSecret(SECRET)
                    .httpApi(h -> h.withKeys(List.of(ApiKey.parse("ops:admin=" + API_ADMIN)))));
            node.start();
            nodes.add(node);
        }
    }

    @AfterEach
    void stopNodes() {
        if (receiver != null) {
            receiver.stop(0);
        }
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
    }

    private TestClient on(int node, String subject, String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("role", role).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return nodes.get(node).connect(Map.of("Authorization", "Bearer " + jwt.serialize()));
    }

    private TestClient admin(int node) throws Exception {
        return on(node, "root-" + IDS.incrementAndGet(), "admin");
    }

    private static JsonNode reply(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args)).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    private static boolean listed(TestClient client, String channel) throws Exception {
        for (JsonNode row : data(reply(client, "list_channels", "{\"room\":\"science\"}")).path("channels")) {
            if (row.toString().contains("\"" + channel + "\"")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aChannelCreatedOnOneNodeIsListedOnAnotherAndDeletableFromAThird() throws Exception {
        TestClient onA = admin(0);
        TestClient onB = admin(1);
        TestClient onC = admin(2);
        assertThat(listed(onB, "made-on-a")).isFalse();

        data(reply(onA, "create_channel", "{\"room\":\"science\",\"channel\":\"made-on-a\"}"));
        await().atMost(T).until(() -> listed(onB, "made-on-a") && listed(onC, "made-on-a"));
        JsonNode again = reply(onB, "create_channel", "{\"room\":\"science\",\"channel\":\"made-on-a\"}");
        assertThat(again.path("error_code").asText()).as("%s", again).isEqualTo("CONFLICT");

        data(reply(onC, "delete_channel", "{\"room\":\"science\",\"channel\":\"made-on-a\"}"));
        await().atMost(T).until(() -> !listed(onA, "made-on-a") && !listed(onB, "made-on-a"));
    }

    @Test
    void aNodeThatStartsLaterLoadsTheChannelsCreatedBefore() throws Exception {
        data(reply(admin(0), "create_channel", "{\"room\":\"science\",\"channel\":\"before-d\"}"));
        RedisConfig shared = nodes.get(0).components().config().storage().redis();
        ArqonBusExtension d = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-d")
                .authEnabled(true).jwtSecret(SECRET));
        d.start();
        nodes.add(d);
        assertThat(listed(admin(3), "before-d")).isTrue();
    }

    @Test
    void aPrivateChannelsListSetOnOneNodeAdmitsAndRefusesOnAnother() throws Exception {
        data(reply(admin(0), "create_channel",
                "{\"room\":\"science\",\"channel\":\"vault\",\"private\":true,\"members\":[\"alice\"]}"));
        TestClient adminOnB = admin(1);
        await().atMost(T).until(() -> data(reply(adminOnB, "channel_info",
                "{\"room\":\"science\",\"channel\":\"vault\"}")).path("private").asBoolean(false));

        TestClient alice = on(1, "alice", "user");
        TestClient bob = on(1, "bob", "user");
        data(alice.joinChannel("science", "vault").get(T.toMillis(), TimeUnit.MILLISECONDS));
        JsonNode refused = bob.joinChannel("science", "vault").get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(refused.path("error_code").asText()).as("%s", refused).isEqualTo("AUTHORIZATION_ERROR");
    }

    @Test
    void aCasilReloadOnOneNodeBlocksOnAnother() throws Exception {
        TestClient adminOnB = admin(1);
        data(reply(admin(0), "op.casil.reload", "{\"enabled\":true,\"mode\":\"enforce\",\"max_payload_bytes\":1024}"));
        await().atMost(T).until(() -> {
            JsonNode policy = data(reply(adminOnB, "op.casil.get", "{}"));
            return policy.path("max_payload_bytes").asInt() == 1024 && "enforce".equals(policy.path("mode").asText());
        });

        TestClient publisher = on(1, "pub", "user");
        data(publisher.joinChannel("science", "sized").get(T.toMillis(), TimeUnit.MILLISECONDS));
        ObjectNode frame = TestClient.object();
        frame.put("id", "arq_cc_big");
        frame.put("type", "message");
        frame.put("room", "science");
        frame.put("channel", "sized");
        frame.putObject("payload").put("text", "x".repeat(2000));
        publisher.send(frame);
        JsonNode error = publisher.await(Frames.error("CASIL_POLICY_OVERSIZE"), T);
        assertThat(error.path("request_id").asText()).isEqualTo("arq_cc_big");
    }

    @Test
    void aWebhookRuleRegisteredOnOneNodeFiresOncePerPublicationAcceptedOnAnother() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            JsonNode body = TestClient.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String id = body.path("event_id").asText(body.toString());
            deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        TestClient owner = admin(0);
        String ruleId = data(reply(owner, "op.webhook.register",
                "{\"url\":\"" + url + "\",\"room\":\"science\",\"channel\":\"hooked\"}")).path("rule_id").asText();
        TestClient adminOnB = admin(1);
        await().atMost(T).until(() -> data(reply(adminOnB, "op.webhook.list", "{}")).toString().contains(ruleId));
        // Members on every node, so every node receives each publication.
        for (int node = 0; node < 3; node++) {
            data(on(node, "member-" + node, "user").joinChannel("science", "hooked")
                    .get(T.toMillis(), TimeUnit.MILLISECONDS));
        }

        TestClient publisher = on(1, "publisher", "user");
        int sent = 10;
        for (int n = 1; n <= sent; n++) {
            publisher.publish("science", "hooked", Map.of("n", n));
        }
        await().atMost(T).until(() -> total.get() >= sent);
        // Were each node delivering what it receives, three deliveries per publication would come.
        await().during(Duration.ofSeconds(1)).atMost(T).until(() -> total.get() == sent);
        assertThat(deliveries).hasSize(sent).allSatisfy((id, count) -> assertThat(count.get()).isEqualTo(1));

        // Unregistered on the owner's node: gone on the others too.
        data(reply(owner, "op.webhook.unregister", "{\"rule_id\":\"" + ruleId + "\"}"));
        await().atMost(T).until(() -> !data(reply(adminOnB, "op.webhook.list", "{}")).toString().contains(ruleId));
    }

    private int api(int node, String method, String pathAndQuery, String body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(nodes.get(node).httpUri(pathAndQuery)).timeout(T)
                    .header("Authorization", "Bearer " + API_ADMIN).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    @Test
    void theHttpApisChannelAdminAndCasilReloadAreClusterStateToo() throws Exception {
        assertThat(api(0, "POST", "/api/channels",
                "{\"room\":\"science\",\"channel\":\"by-api\",\"private\":true,\"members\":[\"carol\"]}"))
                .isEqualTo(201);
        TestClient adminOnB = admin(1);
        await().atMost(T).until(() -> data(reply(adminOnB, "channel_info",
                "{\"room\":\"science\",\"channel\":\"by-api\"}")).path("private").asBoolean(false));
        JsonNode refused = on(1, "dave", "user").joinChannel("science", "by-api").get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(refused.path("error_code").asText()).as("%s", refused).isEqualTo("AUTHORIZATION_ERROR");

        assertThat(api(2, "DELETE", "/api/channels?room=science&channel=by-api", null)).isEqualTo(200);
        TestClient adminOnA = admin(0);
        await().atMost(T).until(() -> !listed(adminOnA, "by-api") && !listed(adminOnB, "by-api"));

        assertThat(api(1, "POST", "/api/casil/reload", "{\"enabled\":true,\"max_payload_bytes\":2048}")).isEqualTo(200);
        TestClient adminOnC = admin(2);
        await().atMost(T).until(() -> data(reply(adminOnC, "op.casil.get", "{}")).path("max_payload_bytes").asInt() == 2048);
    }
}
