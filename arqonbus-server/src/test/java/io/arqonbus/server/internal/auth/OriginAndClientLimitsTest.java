package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Origin allow-list for browsers and the bound on connections per authenticated subject. */
class OriginAndClientLimitsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET)
            .allowedOrigins(List.of("https://app.example.com"))
            .maxConnectionsPerClient(2));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static String bearer(String sub) throws Exception {
        return "Bearer " + HandshakeAuthTest.token(sub, "user", null, Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
    }

    @Test
    void anOriginOffTheListIsRefusedWith403AndListedOrMissingOriginsAreAccepted() throws Exception {
        String auth = "Authorization: " + bearer("browser") + "\r\n";
        RawHttp.Answer evil = RawHttp.exchange(server.bus().busAddress(),
                RawHttp.upgrade("/", auth + "Origin: https://evil.example\r\n"));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.body()).isEqualTo("{\"error\":\"Forbidden\",\"details\":\"Origin not allowed\"}");

        TestClient listed = server.connect(Map.of("Authorization", bearer("browser"),
                "Origin", "HTTPS://app.example.com"));
        assertThat(listed.command("ping", null).get().path("status").asText()).isEqualTo("success");

        TestClient noOrigin = server.connect(Map.of("Authorization", bearer("service")));
        assertThat(noOrigin.command("ping", null).get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void oneSubjectHoldsAtMostTheConfiguredNumberOfConnections() throws Exception {
        Map<String, String> headers = Map.of("Authorization", bearer("greedy"));
        TestClient first = server.connect(headers);
        TestClient second = server.connect(headers);
        assertThatThrownBy(() -> TestClient.connect(server.wsUri(), headers)
                .orTimeout(T.toMillis(), TimeUnit.MILLISECONDS).join())
                .hasMessageContaining("code=1013")
                .hasMessageContaining("connection limit for this client reached");
        assertThat(first.command("ping", null).get().path("status").asText()).isEqualTo("success");
        assertThat(second.isClosed()).isFalse();

        TestClient other = server.connect(Map.of("Authorization", bearer("someone-else")));
        assertThat(other.isClosed()).isFalse();

        first.close();
        await().atMost(T).until(first::isClosed);
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            TestClient again = TestClient.connect(server.wsUri(), headers)
                    .orTimeout(T.toMillis(), TimeUnit.MILLISECONDS).join();
            try {
                assertThat(again.command("ping", null).get(T.toSeconds(), TimeUnit.SECONDS).path("status").asText())
                        .isEqualTo("success");
            } finally {
                again.close();
            }
        });
    }
}
