package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawHttp;
import io.arqonbus.server.testing.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JWT at the handshake (protocol §2): token locations, the exact 401, claims, admin role. */
class HandshakeAuthTest {
    static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long!";

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    static String token(String sub, String role, String tenant, Instant exp, String secret) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub).issueTime(new Date())
                .expirationTime(Date.from(exp));
        if (role != null) {
            claims.claim("role", role);
        }
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static String valid(String sub, String role) throws Exception {
        return token(sub, role, "tenant-1", Instant.now().plusSeconds(300), SECRET);
    }

    private static void assertExact401(RawHttp.Answer answer, String details) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
        assertThat(answer.headers().get("www-authenticate")).isEqualTo("Bearer realm=\"arqonbus\"");
        assertThat(answer.body()).isEqualTo("{\"error\":\"Unauthorized\",\"details\":\"" + details + "\"}");
    }

    @Test
    void missingTokenIs401MissingBearerToken() throws Exception {
        assertExact401(RawHttp.exchange(server.bus().busAddress(), RawHttp.upgrade("/", "")), "Missing bearer token");
    }

    @Test
    void badTokensAre401InvalidToken() throws Exception {
        String wrongKey = token("eve", "admin", null, Instant.now().plusSeconds(300),
                "another-secret-that-is-also-32-bytes-or-more");
        String expired = token("eve", null, null, Instant.now().minusSeconds(3600), SECRET);
        String none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJldmUiLCJyb2xlIjoiYWRtaW4ifQ.";
        for (String bad : new String[] {wrongKey, expired, none, "garbage"}) {
            assertExact401(RawHttp.exchange(server.bus().busAddress(),
                    RawHttp.upgrade("/", "Authorization: Bearer " + bad + "\r\n")), "Invalid token");
        }
        assertExact401(RawHttp.exchange(server.bus().busAddress(), RawHttp.upgrade("/?token=garbage", "")),
                "Invalid token");
    }

    @Test
    void bearerHeaderSchemeIsCaseInsensitive() throws Exception {
        RawWebSocket ws = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "bEaReR " + valid("alice", "user"))));
        assertThat(ws.next(T).path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "access_token", "auth_token"})
    void queryParametersCarryTheToken(String parameter) throws Exception {
        RawWebSocket ws = raw.connect(server.wsUri("/?" + parameter + "=" + valid("bob", null)),
                RawWebSocket.Options.defaults());
        assertThat(ws.next(T).path("payload").has("welcome")).isTrue();
    }

    @Test
    void headerWinsOverTheQuery() throws Exception {
        RawWebSocket ws = raw.connect(server.wsUri("/?token=garbage"), RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "Bearer " + valid("carol", null))));
        assertThat(ws.next(T).path("payload").has("welcome")).isTrue();
    }

    @Test
    void claimsBecomeThePrincipalAndAdminIsCaseInsensitive() throws Exception {
        RawWebSocket admin = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "Bearer " + valid("root", "ADMIN"))));
        String adminId = admin.next(T).path("payload").path("client_id").asText();
        RawWebSocket user = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "Bearer " + token("dave", null, null, Instant.now().plusSeconds(60), SECRET))));
        String userId = user.next(T).path("payload").path("client_id").asText();
        Session adminSession = server.components().sessions().find(adminId);
        assertThat(adminSession.principal().subject()).isEqualTo("root");
        assertThat(adminSession.principal().tenantId()).isEqualTo("tenant-1");
        assertThat(adminSession.principal().isAdmin()).isTrue();
        Session userSession = server.components().sessions().find(userId);
        assertThat(userSession.principal().role()).isEqualTo("user");
        assertThat(userSession.principal().isAdmin()).isFalse();
    }

    @Test
    void identificationMustMatchTheTokenSubject() throws Exception {
        RawWebSocket ws = raw.connect(RawWebSocket.Options.defaults()
                .withHeaders(Map.of("Authorization", "Bearer " + valid("erin", null))));
        String assigned = ws.next(T).path("payload").path("client_id").asText();
        ws.send("{\"client_id\":\"mallory\",\"client_type\":\"app\"}");
        JsonNode refused = ws.next(T);
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        ws.send("{\"id\":\"arq_p1\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo("arq_p1"), T).path("payload").path("data").path("client_id").asText())
                .isEqualTo(assigned);
        ws.send("{\"client_id\":\"erin\",\"client_type\":\"app\"}");
        ws.send("{\"id\":\"arq_p2\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo("arq_p2"), T).path("payload").path("data").path("client_id").asText())
                .isEqualTo("erin");
    }
}
