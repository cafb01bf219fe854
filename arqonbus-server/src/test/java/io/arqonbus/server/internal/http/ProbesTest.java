package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kubernetes probes while Redis is unreachable (degraded mode): {@code /livez} 200 (restarting
 * the pod would not bring Redis back), {@code /ready} 200 with {@code "degraded":true} (traffic is
 * still taken), and {@code /health} 503 — which is why {@code /health} must not be the liveness probe.
 */
class ProbesTest {
    private static final int NO_REDIS_PORT = freePort();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .redis(RedisConfig.of("127.0.0.1", NO_REDIS_PORT).withCommandTimeout(Duration.ofSeconds(1)))
            .storageMode(StorageMode.DEGRADED));

    private static final ObjectMapper JSON = new ObjectMapper();

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.httpUri(path)).timeout(ArqonBusExtension.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessIgnoresRedisWhileHealthReportsItAndReadinessStaysUp() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("redis");

        HttpResponse<String> livez = get("/livez");
        assertThat(livez.statusCode()).isEqualTo(200);
        JsonNode alive = JSON.readTree(livez.body());
        assertThat(alive.path("status").asText()).isEqualTo("alive");
        assertThat(alive.path("timestamp").asText()).endsWith("Z");

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("degraded").asBoolean()).isTrue();
    }
}
