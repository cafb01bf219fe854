package io.arqonbus.server.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.StoreLocation;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a file store (or Redis), durable jobs (admins' {@code "durable":true}) are written to
 * {@code cron-jobs.json} in the store directory and come back after a restart; other jobs do not.
 */
class DurableCronJobsTest {
    private static final Duration TIMEOUT = ArqonBusExtension.TIMEOUT;
    private static final String SECRET = "durable-cron-test-secret-0123456789abcdef";

    @TempDir
    Path data;

    private ArqonBus start() {
        return start(b -> b.store(StoreLocation.file(data.resolve("store"))));
    }

    private static ArqonBus start(java.util.function.Consumer<ServerConfig.Builder> store) {
        ServerConfig.Builder builder = ServerConfig.builder()
                .host("127.0.0.1").port(0).telemetryPort(-1).httpPort(-1).ioThreads(2)
                .statsInterval(Duration.ZERO).shutdownGrace(Duration.ofMillis(200))
                .authEnabled(true).jwtSecret(SECRET);
        store.accept(builder);
        ServerConfig config = builder.build();
        ArqonBus bus = ArqonBus.builder().config(config).build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        return bus;
    }

    private static TestClient admin(ArqonBus bus) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("root").claim("role", "admin")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        URI uri = URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
        return TestClient.connect(uri, Map.of("Authorization", "Bearer " + jwt.serialize()))
                .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static JsonNode ok(TestClient client, String command, ObjectNode args) throws Exception {
        JsonNode reply = client.command(command, args).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("reply %s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    @Test
    void durableJobsSurviveARestartAndOthersDoNot() throws Exception {
        String durableJob;
        String cronJob;
        ArqonBus bus = start();
        try {
            TestClient root = admin(bus);
            durableJob = ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "x")
                    .put("delay_seconds", 3600).put("interval_seconds", 60).put("repeat_count", 5)
                    .put("durable", true).set("payload", TestClient.object().put("k", "v")))
                    .path("job_id").asText();
            cronJob = ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "y")
                    .put("cron", "0 3 * * *").put("durable", true).set("payload", TestClient.object()))
                    .path("job_id").asText();
            ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "z")
                    .put("delay_seconds", 3600).set("payload", TestClient.object()));
            root.close();
        } finally {
            bus.close();
        }
        Path file = data.resolve("store").resolve("cron-jobs.json");
        assertThat(file).exists();
        JsonNode stored = new ObjectMapper().readTree(Files.readAllBytes(file));
        assertThat(stored.path("version").asInt()).isEqualTo(1);
        assertThat(stored.path("jobs")).hasSize(2);

        bus = start();
        try {
            TestClient root = admin(bus);
            JsonNode list = ok(root, "op.cron.list", TestClient.object());
            assertThat(list.path("count").asInt()).isEqualTo(2);
            JsonNode first = list.path("jobs").get(0);
            assertThat(first.path("job_id").asText()).isEqualTo(durableJob);
            assertThat(first.path("durable").asBoolean()).isTrue();
            assertThat(first.path("payload").path("k").asText()).isEqualTo("v");
            assertThat(first.path("repeat_count").asInt()).isEqualTo(5);
            assertThat(first.path("interval_seconds").asDouble()).isEqualTo(60.0);
            assertThat(Instant.parse(first.path("next_run_at").asText())).isAfter(Instant.now().plusSeconds(3000));
            JsonNode second = list.path("jobs").get(1);
            assertThat(second.path("job_id").asText()).isEqualTo(cronJob);
            assertThat(second.path("cron").asText()).isEqualTo("0 3 * * *");
            ok(root, "op.cron.cancel", TestClient.object().put("job_id", durableJob));
            root.close();
        } finally {
            bus.close();
        }
        assertThat(new ObjectMapper().readTree(Files.readAllBytes(file)).path("jobs")).hasSize(1);
    }

    @Test
    void aFileInTheFormatOfEarlierReleasesIsRestoredAndRewrittenAsTheDocument() throws Exception {
        // The format written before the document had a type of its own: the op.cron.list entries.
        String due = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        Path file = data.resolve("store").resolve("cron-jobs.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {
                  "version" : 1,
                  "jobs" : [ {
                    "job_id" : "cron_0123456789ab", "room" : "ops", "channel" : "x",
                    "delay_seconds" : 3600.0, "interval_seconds" : 60.0, "repeat_count" : 5,
                    "created_at" : "2026-12-01T10:00:00.000Z", "durable" : true, "payload" : { "k" : "v" },
                    "owner_client_id" : "root", "runs" : 2, "next_run_at" : "%s", "cron" : null
                  }, {
                    "job_id" : "cron_ba9876543210", "room" : "ops", "channel" : "y",
                    "delay_seconds" : 0.0, "interval_seconds" : null, "repeat_count" : 5,
                    "created_at" : "2026-12-01T10:00:00.000Z", "cron" : "0 3 * * *", "next_run_at" : "%s",
                    "durable" : true, "payload" : { }, "owner_client_id" : "root", "runs" : 0
                  }, {
                    "job_id" : "cron_000000000bad", "room" : "ops", "channel" : "z", "runs" : "many"
                  } ]
                }""".formatted(due, due));

        ArqonBus bus = start();
        try {
            TestClient root = admin(bus);
            JsonNode list = ok(root, "op.cron.list", TestClient.object());
            assertThat(list.path("jobs")).extracting(j -> j.path("job_id").asText())
                    .containsExactly("cron_0123456789ab", "cron_ba9876543210");
            JsonNode first = list.path("jobs").get(0);
            assertThat(first.path("payload").path("k").asText()).isEqualTo("v");
            assertThat(first.path("runs").asInt()).isEqualTo(2);
            assertThat(first.path("interval_seconds").asDouble()).isEqualTo(60.0);
            assertThat(first.path("owner_client_id").asText()).isEqualTo("root");
            assertThat(first.path("created_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
            assertThat(first.path("next_run_at").asText()).isEqualTo(due);
            assertThat(first.path("cron").isNull()).isTrue();
            assertThat(list.path("jobs").get(1).path("cron").asText()).isEqualTo("0 3 * * *");
            root.close();
        } finally {
            bus.close();
        }
        JsonNode stored = new ObjectMapper().readTree(Files.readAllBytes(file));
        assertThat(stored.path("version").asInt()).isEqualTo(1);
        assertThat(stored.path("jobs")).hasSize(2);
        JsonNode job = stored.path("jobs").get(0);
        assertThat(job.path("job_id").asText()).isEqualTo("cron_0123456789ab");
        assertThat(job.path("runs").asInt()).isEqualTo(2);
        assertThat(job.path("next_run_at").asText()).isEqualTo(due);
        assertThat(job.path("payload").path("k").asText()).isEqualTo("v");
        java.util.List<String> keys = new java.util.ArrayList<>();
        job.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("job_id", "room", "channel", "payload", "delay_seconds", "interval_seconds",
                "repeat_count", "cron", "owner_client_id", "created_at", "runs", "next_run_at");
    }

    @Test
    void aDocumentOfANewerVersionIsNeitherReadNorWrittenOver() throws Exception {
        Path file = data.resolve("store").resolve("cron-jobs.json");
        Files.createDirectories(file.getParent());
        String newer = """
                {"version":2,"jobs":[{"job_id":"cron_0123456789ab","room":"ops","channel":"x","repeat_count":1}]}""";
        Files.writeString(file, newer);
        ArqonBus bus = start();
        try {
            TestClient root = admin(bus);
            assertThat(ok(root, "op.cron.list", TestClient.object()).path("count").asInt()).isZero();
            ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "x")
                    .put("delay_seconds", 3600).put("durable", true).set("payload", TestClient.object()));
            root.close();
        } finally {
            bus.close();
        }
        assertThat(Files.readString(file)).isEqualTo(newer);
    }

    @Test
    void withRedisDurableJobsAreKeptInTheServersReservedNamespace() throws Exception {
        try (RedisServer redis = RedisServer.launch()) {
            java.util.function.Consumer<ServerConfig.Builder> inRedis =
                    b -> b.redis(RedisConfig.of("127.0.0.1", redis.port()));
            String durableJob;
            ArqonBus bus = start(inRedis);
            try {
                TestClient root = admin(bus);
                durableJob = ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "x")
                        .put("delay_seconds", 3600).put("durable", true).set("payload", TestClient.object()))
                        .path("job_id").asText();
                ok(root, "op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "z")
                        .put("delay_seconds", 3600).set("payload", TestClient.object()));
                // The namespace that holds them is closed to op.store, admins included.
                JsonNode peek = root.command("op.store.get", TestClient.object().put("namespace", "arqonbus:cron")
                        .put("key", "jobs")).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(peek.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
                root.close();
            } finally {
                bus.close(); // the scheduler saves the durable jobs one last time when it stops
            }

            bus = start(inRedis);
            try {
                TestClient root = admin(bus);
                JsonNode list = ok(root, "op.cron.list", TestClient.object());
                assertThat(list.path("jobs")).extracting(j -> j.path("job_id").asText()).containsExactly(durableJob);
                root.close();
            } finally {
                bus.close();
            }
        }
    }
}
