package io.arqonbus.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth on, recent events are bus data: the HTTP reads need a valid bearer token (401 exactly
 * like a refused handshake otherwise), and every list holds only what the reader may see — its
 * channel grants, its own tenant's publications and the host's.
 */
class RecentEventsAuthTest {
    static final String SECRET = "recent-events-test-secret-of-at-least-32-bytes";
    static final ChannelPermissions PERMISSIONS = new ChannelPermissions(Map.of(
            "user", Map.of(
                    ChannelAction.SUBSCRIBE, List.of("shared:*", "dash:*"),
                    ChannelAction.PUBLISH, List.of("shared:*", "private:*"))),
            null);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET)
            .permissions(PERMISSIONS));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static String token(String sub, String tenant, Instant exp) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub).issueTime(new Date())
                .expirationTime(Date.from(exp)).claim("role", "user");
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String token(String sub, String tenant) throws Exception {
        return token(sub, tenant, Instant.now().plusSeconds(300));
    }

    private static TestClient connect(String query, String token) {
        return TestClient.connect(server.wsUri("/" + query), Map.of("Authorization", "Bearer " + token))
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> markers(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false)
                .map(e -> e.path("payload").path("marker").asText()).toList();
    }

    @Test
    void httpReadsWithoutAValidTokenAreRefusedLikeTheHandshake() throws Exception {
        for (String path : List.of("/events/recent", "/events/stats")) {
            HttpResponse<String> missing = get(path, null);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"arqonbus\"");
            assertThat(TestClient.parse(missing.body())).isEqualTo(TestClient.parse(
                    "{\"error\":\"Unauthorized\",\"details\":\"Missing bearer token\"}"));

            HttpResponse<String> expired = get(path, token("alice", "t1", Instant.now().minusSeconds(600)));
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(TestClient.parse(expired.body()).path("details").asText()).isEqualTo("Invalid token");

            HttpResponse<String> forged = get(path, token("alice", "t1") + "x");
            assertThat(forged.statusCode()).isEqualTo(401);
        }
        HttpResponse<String> queryToken = get("/events/stats?token=" + token("alice", "t1"), null);
        assertThat(queryToken.statusCode()).isEqualTo(200);
        // Health and status stay public.
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void listsHoldOnlyWhatTheReaderMaySee() throws Exception {
        TestClient t1 = connect("", token("t1-writer", "t1"));
        TestClient t2 = connect("", token("t2-writer", "t2"));
        t1.publish("shared", "news", Map.of("marker", "t1-shared"));
        t1.publish("private", "news", Map.of("marker", "t1-private"));
        t2.publish("shared", "news", Map.of("marker", "t2-shared"));
        for (TestClient writer : List.of(t1, t1, t2)) {
            writer.await(f -> "message_response".equals(f.path("type").asText()), T);
        }
        t1.close();
        t2.close();
        server.bus().publish("dash", "events", Map.of("marker", "host"));

        HttpResponse<String> response = get("/events/recent?count=50", token("t1-reader", "t1"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestClient.parse(response.body());
        // private:* is not subscribable, t2's publication is another tenant's; the host's is public.
        assertThat(markers(body.path("events"))).containsExactly("t1-shared", "host");
        assertThat(body.path("count").asInt()).isEqualTo(2);

        try (TestClient reader = connect("?recent=50", token("t2-reader", "t2"))) {
            JsonNode frame = reader.next(T);
            assertThat(frame.path("payload").path("event").asText()).isEqualTo("recent_events");
            assertThat(markers(frame.path("payload").path("events"))).containsExactly("t2-shared", "host");
        }
        try (TestClient noTenant = connect("?welcome=recent", token("nobody", null))) {
            JsonNode frame = noTenant.next(T);
            assertThat(markers(frame.path("payload").path("events"))).containsExactly("host");
        }
    }
}
