package io.arqonbus.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.cli.crash.ServerProcess;
import io.arqonbus.server.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret ever reaches the logs: a server process at DEBUG with auth (a JWT secret), CASIL
 * enforcing (an API key, an AWS key id and a password in payloads), a Redis password and clients
 * with good and bad tokens in headers and query strings; its whole log is then searched for every
 * one of those values. In JSON every line is one JSON object with the event as a field.
 */
class LogSecretsTest {
    private static final String JWT_SECRET = "jwt-secret-9f1c2e7a4b6d8e0f1a3c5e7f9b2d4f6a";
    private static final String REDIS_PASSWORD = "redis-pass-51f0c7e2d9";
    private static final String STRIPE_KEY = "sk_live_51HxQfLkQ9ZrT3vYp7WmN2bC4";
    private static final String AWS_KEY = "AKIAIOSFODNN7Q2XK4LM";
    private static final String PASSWORD = "hunter2-b8f3a1c6";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String token(String secret, String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(subject).expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void secretsInUseNeverAppearInTheLog(String format) throws Exception {
        String good = token(JWT_SECRET, "alice");
        String forged = token("another-secret-0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b", "mallory");
        Path log = dir.resolve("server.log");
        Map<String, String> env = Map.of(
                "ARQONBUS_LOG_FORMAT", format,
                "ARQONBUS_LOG_LEVEL", "DEBUG",
                "ARQONBUS_ENABLE_AUTH", "true",
                "ARQONBUS_AUTH_JWT_SECRET", JWT_SECRET,
                "ARQONBUS_REDIS_PASSWORD", REDIS_PASSWORD,
                "ARQONBUS_CASIL_ENABLED", "true",
                "ARQONBUS_CASIL_MODE", "enforce",
                "ARQONBUS_CASIL_BLOCK_ON_PROBABLE_SECRET", "true");
        try (ServerProcess server = ServerProcess.startWithHttp(env, List.of(), log)) {
            URI bus = server.uri();
            TestClient alice = TestClient.connect(bus, Map.of("Authorization", "Bearer " + good))
                    .get(10, TimeUnit.SECONDS);
            alice.joinChannel("ops", "keys").get(10, TimeUnit.SECONDS);
            alice.publish("ops", "keys", Map.of("note", "deploy with " + STRIPE_KEY)).get(10, TimeUnit.SECONDS);
            alice.publish("ops", "keys", Map.of("aws", AWS_KEY, "password", PASSWORD)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(server.log(), "casil_decision") >= 2);

            for (URI refused : List.of(URI.create(bus + "?token=" + forged), bus)) {
                Map<String, String> headers = refused == bus ? Map.of("Authorization", "Bearer " + forged) : Map.of();
                assertThat(TestClient.connect(refused, headers)).failsWithin(Duration.ofSeconds(10));
            }
            HttpResponse<String> presence = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(server.httpUri().resolve("/presence/ops?token=" + forged))
                    .header("Authorization", "Bearer " + forged).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(presence.statusCode()).isEqualTo(401);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(server.log(), "auth_rejected") >= 2);
            alice.close();
        }
        String text = java.nio.file.Files.readString(log);
        assertThat(text).contains("casil_decision", "auth_rejected");
        for (String secret : List.of(JWT_SECRET, REDIS_PASSWORD, STRIPE_KEY, AWS_KEY, PASSWORD, good, forged,
                good.substring(good.lastIndexOf('.') + 1), forged.substring(forged.lastIndexOf('.') + 1))) {
            assertThat(text).as("the log holds a secret").doesNotContain(secret);
        }
        if (format.equals("json")) {
            List<String> lines = text.lines()
                    // the banner (stdout), the test's header line and the JVM's own warnings are no log events
                    .filter(l -> !l.startsWith("===") && !l.startsWith("ArqonBus ") && !l.startsWith("WARNING: ")
                            && !l.isBlank()).toList();
            assertThat(lines).hasSizeGreaterThan(5);
            for (String line : lines) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.path("level").asText()).as(line).isNotEmpty();
                assertThat(event.path("message").asText()).as(line).isNotEmpty();
            }
            assertThat(lines).anySatisfy(l -> assertThat(JSON.readTree(l).path("event").asText()).isEqualTo("casil_decision"));
        }
    }

    private static long count(String log, String event) {
        return log.lines().filter(l -> l.contains(event)).count();
    }
}
