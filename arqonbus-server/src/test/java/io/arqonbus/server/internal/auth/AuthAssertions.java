package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawHttp;
import io.arqonbus.server.testing.RawWebSocket;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** The exact 401 of protocol §2, checked with a raw upgrade request. */
final class AuthAssertions {
    static final String MISSING = "Missing bearer token";
    static final String INVALID = "Invalid token";

    private AuthAssertions() {
    }

    /** Sends an upgrade with {@code Authorization: Bearer token} and asserts the exact 401. */
    static void refused(ArqonBusExtension server, String token, String details) throws IOException {
        exact401(RawHttp.exchange(server.bus().busAddress(),
                RawHttp.upgrade("/", "Authorization: Bearer " + token + "\r\n")), details);
    }

    /** Connects a real WebSocket client with this token and returns it after the welcome (whose client id it checks). */
    static RawWebSocket accepted(RawClients raw, String token) throws TimeoutException {
        RawWebSocket ws = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "Bearer " + token)));
        JsonNode welcome = ws.next(ArqonBusExtension.TIMEOUT);
        assertThat(welcome.path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
        assertThat(welcome.path("payload").path("client_id").asText()).startsWith("arq_client_");
        return ws;
    }

    static void exact401(RawHttp.Answer answer, String details) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
        assertThat(answer.headers().get("www-authenticate")).isEqualTo("Bearer realm=\"arqonbus\"");
        assertThat(answer.body()).isEqualTo("{\"error\":\"Unauthorized\",\"details\":\"" + details + "\"}");
    }
}
