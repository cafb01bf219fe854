package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ARQONBUS_TELEMETRY_AUTH on: the telemetry upgrade needs an admin API key (no tenant) or an admin JWT,
 * by header or {@code ?token=}; none → 401, a smaller scope or a tenant → 403, and the stream then
 * starts with its welcome as before.
 */
class TelemetryAuthTest {
    private static final String ADMIN = "telemetry-admin-key-0123456789";
    private static final String READER = "telemetry-read-key-0123456789";
    private static final String TENANT_ADMIN = "telemetry-tenant-key-0123456789";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .telemetryAuth(true)
            .httpApi(h -> h.withKeys(List.of(ApiKey.parse("ops:admin=" + ADMIN), ApiKey.parse("viewer:read=" + READER),
                    ApiKey.parse("acme:admin:acme=" + TENANT_ADMIN)))));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static int refusal(URI uri, String bearer) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        Throwable thrown = catchThrowable(() -> builder.buildAsync(uri, new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS).abort());
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) thrown.getCause()).getResponse().statusCode();
    }

    static String welcome(URI uri) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    @Test
    void anAdminCredentialIsNeededAtTheUpgrade() throws Exception {
        URI telemetry = server.telemetryUri();
        assertThat(refusal(telemetry, null)).isEqualTo(401);
        assertThat(refusal(telemetry, "not-a-key-at-all-0123456789")).isEqualTo(401);
        assertThat(refusal(telemetry, READER)).isEqualTo(403);
        assertThat(refusal(telemetry, TENANT_ADMIN)).isEqualTo(403);
        assertThat(refusal(URI.create(telemetry + "?token=" + READER), null)).isEqualTo(403);
        assertThat(welcome(URI.create(telemetry + "?token=" + ADMIN))).contains("telemetry_connected");
    }
}
