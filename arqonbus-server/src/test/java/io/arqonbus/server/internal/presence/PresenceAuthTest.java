package io.arqonbus.server.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With auth on, presence needs a token over HTTP and subscribe permission, and shows one tenant only. */
class PresenceAuthTest {
    static final ChannelPermissions PERMISSIONS = new ChannelPermissions(Map.of(
            "user", Map.of(ChannelAction.SUBSCRIBE, List.of("lobby:*", "tenant-{tenant}:*"),
                    ChannelAction.PUBLISH, List.of("*"))),
            null);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(TestTokens.SECRET).permissions(PERMISSIONS));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri(path)).timeout(ArqonBusExtension.TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpPresenceNeedsAValidTokenAndPermission() throws Exception {
        TestClient ivy = server.connect(TestTokens.bearer("ivy", "user", "t1"));
        ivy.joinChannel("lobby", "main").get();

        HttpResponse<String> missing = get("/presence/lobby/main", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"arqonbus\"");
        assertThat(TestClient.parse(missing.body()))
                .isEqualTo(TestClient.parse("{\"error\":\"Unauthorized\",\"details\":\"Missing bearer token\"}"));
        HttpResponse<String> invalid = get("/presence/lobby/main", "not-a-token");
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(TestClient.parse(invalid.body()).path("details").asText()).isEqualTo("Invalid token");

        HttpResponse<String> ok = get("/presence/lobby/main", TestTokens.token("jon", "user", "t1"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TestClient.parse(ok.body()).path("clients").findValuesAsText("client_id"))
                .containsExactly(ivy.clientId());
        HttpResponse<String> query = HTTP.send(HttpRequest.newBuilder(server.httpUri("/presence/lobby?token="
                + TestTokens.token("jon", "user", "t1"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(query.statusCode()).isEqualTo(200);

        // Another tenant sees the channel, but not the clients of tenant t1.
        HttpResponse<String> otherTenant = get("/presence/lobby/main", TestTokens.token("kim", "user", "t2"));
        assertThat(TestClient.parse(otherTenant.body()).path("count").asInt()).isZero();

        ivy.joinChannel("tenant-t1", "desk").get();
        HttpResponse<String> forbidden = get("/presence/tenant-t1/desk", TestTokens.token("kim", "user", "t2"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(TestClient.parse(forbidden.body()).path("details").asText())
                .isEqualTo("Not allowed to subscribe to tenant-t1:desk");
    }

    @Test
    void thePresenceCommandNeedsSubscribePermission() throws Exception {
        TestClient lee = server.connect(TestTokens.bearer("lee", "user", "t1"));
        TestClient max = server.connect(TestTokens.bearer("max", "user", "t2"));
        lee.joinChannel("tenant-t1", "ops").get();
        JsonNode refused = max.command("presence", TestClient.object().put("room", "tenant-t1")).get();
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(refused.path("error").asText()).isEqualTo("Not allowed to subscribe to tenant-t1:*");
        JsonNode own = lee.command("presence", TestClient.object().put("room", "tenant-t1")).get();
        assertThat(own.path("payload").path("data").path("count").asInt()).isEqualTo(1);
    }
}
