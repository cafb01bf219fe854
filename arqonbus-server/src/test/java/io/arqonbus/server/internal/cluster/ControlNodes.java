package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Nodes of one cluster in this JVM on a real redis-server, with auth on (so that admins exist) and
 * an HTTP API admin key, and the helpers the control-plane tests share: clients with a role on a
 * node, command replies, the HTTP API. Nodes can be added, stopped and started again by id.
 */
final class ControlNodes implements AutoCloseable {
    static final String SECRET = "cluster-control-test-secret-at-least-32-bytes";
    static final String API_ADMIN = "cluster-admin-key-0123456789";
    static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final RedisConfig redis;
    private final Consumer<ServerConfig.Builder> extra;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();

    /** Starts a node for each id ({@code node-<id>}), each also configured by {@code extra}. */
    ControlNodes(RedisConfig redis, Consumer<ServerConfig.Builder> extra, String... ids) {
        this.redis = redis;
        this.extra = extra;
        for (String id : ids) {
            add(id);
        }
    }

    ControlNodes(RedisConfig redis, String... ids) {
        this(redis, b -> { }, ids);
    }

    /** Starts another node, {@code node-<id>}; its index is the number of nodes started before. */
    ArqonBusExtension add(String id) {
        ArqonBusExtension node = new ArqonBusExtension(b -> {
            b.redis(redis).cluster(redis).nodeId("node-" + id).authEnabled(true).jwtSecret(SECRET)
                    .httpApi(h -> h.withKeys(List.of(ApiKey.parse("ops:admin=" + API_ADMIN))));
            extra.accept(b);
        });
        node.start();
        nodes.add(node);
        return node;
    }

    /** Stops node {@code index} (SIGTERM-like: its clients are closed) and starts it again with the same id. */
    void restart(int index, String id) {
        stop(index);
        ArqonBusExtension again = add(id);
        nodes.remove(nodes.size() - 1);
        nodes.set(index, again);
    }

    /** Stops node {@code index}; it stays in the list, stopped. */
    void stop(int index) {
        ArqonBusExtension node = nodes.get(index);
        node.afterEach(null);
        node.stop();
    }

    ArqonBusExtension node(int index) {
        return nodes.get(index);
    }

    TestClient on(int node, String subject, String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("role", role).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return nodes.get(node).connect(Map.of("Authorization", "Bearer " + jwt.serialize()));
    }

    TestClient admin(int node) throws Exception {
        return on(node, "root-" + IDS.incrementAndGet(), "admin");
    }

    static JsonNode reply(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args)).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    /** Calls the HTTP API of node {@code node} as its admin; answers the status and the body. */
    HttpResponse<String> api(int node, String method, String pathAndQuery, String body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(nodes.get(node).httpUri(pathAndQuery)).timeout(T)
                    .header("Authorization", "Bearer " + API_ADMIN).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Stops every node still running. */
    @Override
    public void close() {
        for (ArqonBusExtension node : nodes) {
            try {
                node.afterEach(null);
                node.stop();
            } catch (RuntimeException e) {
                // stopped before (stop(int)); the others are stopped still
            }
        }
    }
}
