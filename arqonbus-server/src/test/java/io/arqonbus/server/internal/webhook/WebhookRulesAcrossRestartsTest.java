package io.arqonbus.server.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.internal.config.ConfigFile;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules declared in the configuration file fire from start-up after every restart; an admin's
 * durable rules registered at run time come back after a restart with a durable (file) store, and
 * in Redis, and with the memory default outlive their connection but not the process.
 */
class WebhookRulesAcrossRestartsTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final String SECRET = "webhook-restart-test-secret-0123456789abcdef";

    @TempDir
    Path data;

    private static ArqonBus start(Consumer<ServerConfig.Builder> more) {
        ServerConfig.Builder builder = ServerConfig.builder()
                .host("127.0.0.1").port(0).telemetryPort(-1).httpPort(-1).ioThreads(2)
                .statsInterval(Duration.ZERO).shutdownGrace(Duration.ofMillis(200))
                .authEnabled(true).jwtSecret(SECRET);
        more.accept(builder);
        ArqonBus bus = ArqonBus.builder().config(builder.build()).build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        return bus;
    }

    private static TestClient connect(ArqonBus bus, String subject, String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("role", role)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        URI uri = URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
        return TestClient.connect(uri, Map.of("Authorization", "Bearer " + jwt.serialize()))
                .orTimeout(T.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static JsonNode command(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args)).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonNode ok(TestClient client, String command, String args) throws Exception {
        JsonNode reply = command(client, command, args);
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    /** Waits until the server counts {@code client} as its only connection (the others' closes were handled). */
    private static void awaitOnlyConnection(TestClient client) {
        await().atMost(T).until(() -> ok(client, "status", "{}").path("clients").path("total").asInt() == 1);
    }

    @Test
    void rulesOfTheConfigFileFireAfterEveryRestartAndCannotBeUnregistered() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Path file = data.resolve("arqonbus.yaml");
            Files.writeString(file, """
                    webhook_max_attempts: 3
                    webhooks:
                      - id: audit
                        url: %s
                        room: ops
                        channel: "alerts-*"
                        secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                        timeout_seconds: 2
                        headers: {Authorization: "Bearer from-config"}
                    """.formatted(receiver.url("/audit")));
            Consumer<ServerConfig.Builder> fromFile = b -> new EnvironmentConfig(ConfigFile.load(file), Map.of())
                    .applyTo(b);
            for (int run = 1; run <= 2; run++) {
                ArqonBus bus = start(fromFile.andThen(b -> b.host("127.0.0.1").port(0)));
                try {
                    bus.publish("ops", "alerts-disk", TestClient.object().put("run", run));
                    bus.publish("ops", "chatter", TestClient.object().put("run", run));
                    int expected = run;
                    await().atMost(T).until(() -> receiver.delivered().size() == expected);
                    Receiver.Request last = receiver.delivered().get(run - 1);
                    assertThat(last.json().path("envelope").path("payload").path("run").asInt()).isEqualTo(run);
                    assertThat(last.header("Authorization")).isEqualTo("Bearer from-config");
                    assertThat(StandardWebhooksSignatureTest.verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                            last.header("webhook-id"), last.header("webhook-timestamp"),
                            last.header("webhook-signature"), last.body(), Instant.now().getEpochSecond())).isTrue();

                    TestClient admin = connect(bus, "root", "admin");
                    JsonNode rule = ok(admin, "op.webhook.list", "{}").path("rules").get(0);
                    assertThat(rule.path("rule_id").asText()).isEqualTo("cfg_audit");
                    assertThat(rule.path("origin").asText()).isEqualTo("config");
                    assertThat(rule.path("owner_client_id").isNull()).isTrue();
                    assertThat(rule.path("stats").path("delivered").asLong()).isEqualTo(1);
                    JsonNode refused = command(admin, "op.webhook.unregister", "{\"rule_id\":\"cfg_audit\"}");
                    assertThat(refused.path("error_code").asText()).isEqualTo("CONFLICT");
                    admin.close();
                } finally {
                    bus.close();
                }
            }
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    @Test
    void durableRulesComeBackAfterARestartWithAFileStore() throws Exception {
        Consumer<ServerConfig.Builder> fileStore = b -> b.store(StoreLocation.file(data.resolve("store")));
        try (Receiver receiver = new Receiver()) {
            String durableId;
            ArqonBus bus = start(fileStore);
            try {
                TestClient admin = connect(bus, "root", "admin");
                TestClient user = connect(bus, "u1", "user");
                JsonNode refused = command(user, "op.webhook.register", "{\"url\":\"" + receiver.url("/x")
                        + "\",\"durable\":true}");
                assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
                durableId = ok(admin, "op.webhook.register", "{\"url\":\"" + receiver.url("/durable")
                        + "\",\"room\":\"keep\",\"durable\":true,\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}")
                        .path("rule_id").asText();
                ok(admin, "op.webhook.register", "{\"url\":\"" + receiver.url("/fleeting") + "\",\"room\":\"keep\"}");
                admin.close();
                awaitOnlyConnection(user);
                // The durable rule outlives its connection; the other one went with it.
                bus.publish("keep", "c", TestClient.object().put("n", 0));
                await().atMost(T).until(() -> receiver.delivered().size() == 1);
                assertThat(receiver.delivered().get(0).path()).isEqualTo("/durable");
                await().atMost(T).until(() -> Files.exists(data.resolve("store").resolve(WebhookRuleFile.NAME)));
                user.close();
            } finally {
                bus.close();
            }
            int before = receiver.requests().size();

            ArqonBus again = start(fileStore);
            try {
                again.publish("keep", "c", TestClient.object().put("n", 1));
                await().atMost(T).until(() -> receiver.delivered().stream()
                        .anyMatch(r -> r.json().path("envelope").path("payload").path("n").asInt() == 1));
                assertThat(receiver.requests().subList(before, receiver.requests().size()))
                        .extracting(Receiver.Request::path).containsOnly("/durable");
                TestClient admin = connect(again, "root", "admin");
                JsonNode rules = ok(admin, "op.webhook.list", "{}").path("rules");
                assertThat(rules).hasSize(1);
                assertThat(rules.get(0).path("rule_id").asText()).isEqualTo(durableId);
                assertThat(rules.get(0).path("origin").asText()).isEqualTo("durable");
                // Unregistered for good: gone after the next restart too.
                ok(admin, "op.webhook.unregister", "{\"rule_id\":\"" + durableId + "\"}");
                admin.close();
                await().atMost(T).until(() -> Files.readString(data.resolve("store").resolve(WebhookRuleFile.NAME))
                        .contains("\"rules\" : [ ]"));
            } finally {
                again.close();
            }
            ArqonBus third = start(fileStore);
            try {
                TestClient admin = connect(third, "root", "admin");
                assertThat(ok(admin, "op.webhook.list", "{}").path("count").asInt()).isZero();
                admin.close();
            } finally {
                third.close();
            }
        }
    }

    @Test
    void withRedisDurableRulesAreKeptInTheServersReservedNamespace() throws Exception {
        try (RedisServer redis = RedisServer.launch(); Receiver receiver = new Receiver()) {
            Consumer<ServerConfig.Builder> inRedis = b -> b.redis(RedisConfig.of("127.0.0.1", redis.port()));
            String id;
            ArqonBus bus = start(inRedis);
            try {
                TestClient admin = connect(bus, "root", "admin");
                id = ok(admin, "op.webhook.register", "{\"url\":\"" + receiver.url("/redis")
                        + "\",\"durable\":true}").path("rule_id").asText();
                // No client may read the server's namespace.
                JsonNode peek = command(admin, "op.store.get", "{\"namespace\":\"arqonbus:webhooks\",\"key\":\"rules\"}");
                assertThat(peek.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
                admin.close();
            } finally {
                bus.close(); // waits for the last save
            }
            ArqonBus again = start(inRedis);
            try {
                again.publish("anywhere", "c", TestClient.object().put("n", 1));
                await().atMost(T).until(() -> receiver.delivered().size() == 1);
                TestClient admin = connect(again, "root", "admin");
                assertThat(ok(admin, "op.webhook.list", "{}").path("rules").get(0).path("rule_id").asText())
                        .isEqualTo(id);
                admin.close();
            } finally {
                again.close();
            }
        }
    }

    @Test
    void withTheMemoryDefaultADurableRuleOutlivesItsConnectionButNotTheProcess() throws Exception {
        try (Receiver receiver = new Receiver()) {
            ArqonBus bus = start(b -> { });
            try {
                TestClient admin = connect(bus, "root", "admin");
                ok(admin, "op.webhook.register", "{\"url\":\"" + receiver.url("/mem") + "\",\"durable\":true}");
                TestClient observer = connect(bus, "watcher", "user");
                admin.close();
                awaitOnlyConnection(observer);
                bus.publish("any", "c", TestClient.object().put("n", 1));
                await().atMost(T).until(() -> receiver.delivered().size() == 1);
            } finally {
                bus.close();
            }
            ArqonBus again = start(b -> { });
            try {
                TestClient admin = connect(again, "root", "admin");
                assertThat(ok(admin, "op.webhook.list", "{}").path("count").asInt()).isZero();
                admin.close();
            } finally {
                again.close();
            }
        }
    }
}
