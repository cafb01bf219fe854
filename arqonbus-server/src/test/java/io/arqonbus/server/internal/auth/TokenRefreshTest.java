package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token refresh and expiry (protocol §12): {@code refresh {token}} moves the connection's expiry;
 * a token for another subject or tenant, or one that does not verify, is refused with
 * {@code AUTHORIZATION_ERROR} and the connection stays; a connection whose token expires without
 * a refresh is closed with 4003. The server runs with no clock skew so expiries are exact.
 */
class TokenRefreshTest {
    static final String SECRET = "refresh-test-secret-of-at-least-32-bytes!";
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    /** Seconds until a short-lived token expires: long enough for a handshake on a busy machine. */
    private static final long SHORT = 6;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET)
            .jwtClockSkew(Duration.ZERO));
    @RegisterExtension
    @Order(2)
    static final ArqonBusExtension noAuth = new ArqonBusExtension();
    @RegisterExtension
    @Order(3)
    static final RawClients raw = new RawClients(server);
    @RegisterExtension
    @Order(4)
    static final RawClients noAuthClients = new RawClients(noAuth);

    private static String token(String sub, String tenant, Instant exp) {
        JWTClaimsSet.Builder claims = Tokens.claims(sub).expirationTime(Date.from(exp));
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        return Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims.build());
    }

    private static JsonNode refresh(RawWebSocket ws, String id, String token) throws Exception {
        ws.send("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"refresh\",\"args\":{\"token\":\""
                + token + "\"}}");
        return ws.await(responseTo(id), T);
    }

    private static void stillWorks(RawWebSocket ws, String id) throws Exception {
        ws.send("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo(id), T).path("status").asText()).isEqualTo("success");
    }

    @Test
    void aConnectionWhoseTokenExpiresIsClosedWith4003() throws Exception {
        RawWebSocket ws = accepted(raw, token("short", null, Instant.now().plusSeconds(SHORT)));
        stillWorks(ws, "arq_s1");
        RawWebSocket.Close close = ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(close.reason()).isEqualTo("token expired");
        await().atMost(T).until(() -> !ws.isOpen());
    }

    @Test
    void aRefreshMovesTheExpiryAndTheConnectionOutlivesTheFirstToken() throws Exception {
        Instant firstExp = Instant.now().plusSeconds(SHORT);
        RawWebSocket ws = accepted(raw, token("long", "t1", firstExp));
        Instant newExp = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        JsonNode reply = refresh(ws, "arq_r1", token("long", "t1", newExp));
        assertThat(reply.path("status").asText()).isEqualTo("success");
        assertThat(reply.path("payload").path("message").asText()).isEqualTo("Token refreshed");
        assertThat(Timestamps.parse(reply.path("payload").path("data").path("expires_at").asText())).isEqualTo(newExp);
        // Well past the first token's expiry, the connection is still open and served.
        await().atMost(T).until(() -> Instant.now().isAfter(firstExp.plusSeconds(1)));
        assertThat(ws.isOpen()).isTrue();
        stillWorks(ws, "arq_r2");
        assertThat(ws.closeFrame()).isNotDone();
    }

    @Test
    void aRefreshToAShorterTokenBringsTheCloseForward() throws Exception {
        RawWebSocket ws = accepted(raw, token("shrink", null, Instant.now().plusSeconds(600)));
        JsonNode reply = refresh(ws, "arq_sh1", token("shrink", null, Instant.now().plusSeconds(SHORT)));
        assertThat(reply.path("status").asText()).isEqualTo("success");
        assertThat(ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS).code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void aTokenForAnotherSubjectOrTenantIsRefusedAndTheConnectionStays() throws Exception {
        Instant exp = Instant.now().plusSeconds(600);
        RawWebSocket ws = accepted(raw, token("alice", "t1", exp));
        JsonNode otherSub = refresh(ws, "arq_o1", token("bob", "t1", exp));
        assertThat(otherSub.path("status").asText()).isEqualTo("error");
        assertThat(otherSub.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(otherSub.path("error").asText()).contains("'bob'").contains("'alice'");
        JsonNode otherTenant = refresh(ws, "arq_o2", token("alice", "t2", exp));
        assertThat(otherTenant.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        stillWorks(ws, "arq_o3");
    }

    @Test
    void aRefusedRefreshDoesNotMoveTheExpiry() throws Exception {
        RawWebSocket ws = accepted(raw, token("carol", null, Instant.now().plusSeconds(SHORT)));
        JsonNode refused = refresh(ws, "arq_c1", token("mallory", null, Instant.now().plusSeconds(600)));
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS).code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void invalidTokensAreRefusedWithAuthorizationError() throws Exception {
        RawWebSocket ws = accepted(raw, token("dave", null, Instant.now().plusSeconds(600)));
        String[] bad = {
            "garbage",
            token("dave", null, Instant.now().minusSeconds(10)),
            Tokens.hmac(JWSAlgorithm.HS256, "some-other-secret-of-at-least-32-bytes!!", Tokens.claims("dave").build()),
            Tokens.hmac(JWSAlgorithm.HS256, SECRET, Tokens.claims("dave").claim("pad",
                    "x".repeat(JwtAuthenticator.MAX_TOKEN_LENGTH)).build()),
        };
        for (int i = 0; i < bad.length; i++) {
            JsonNode reply = refresh(ws, "arq_b" + i, bad[i]);
            assertThat(reply.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
            assertThat(reply.path("error").asText()).isEqualTo("Token refresh refused: invalid token");
        }
        ws.send("{\"id\":\"arq_bm\",\"type\":\"command\",\"command\":\"refresh\",\"args\":{}}");
        assertThat(ws.await(responseTo("arq_bm"), T).path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        stillWorks(ws, "arq_b9");
    }

    @Test
    void withoutAuthRefreshIsAFeatureDisabledError() throws Exception {
        RawWebSocket ws = noAuthClients.connectWelcomed();
        JsonNode reply = refresh(ws, "arq_n1", token("x", null, Instant.now().plusSeconds(60)));
        assertThat(reply.path("error_code").asText()).isEqualTo("FEATURE_DISABLED");
    }

    @Test
    void aTokenWithoutExpiryNeverCloses() throws Exception {
        Instant firstExp = Instant.now().plusSeconds(SHORT);
        RawWebSocket ws = accepted(raw, token("erin", null, firstExp));
        JWTClaimsSet noExp = new JWTClaimsSet.Builder().subject("erin").issueTime(new Date()).build();
        JsonNode reply = refresh(ws, "arq_e1", Tokens.hmac(JWSAlgorithm.HS256, SECRET, noExp));
        assertThat(reply.path("status").asText()).isEqualTo("success");
        assertThat(reply.path("payload").path("data").path("expires_at").isNull()).isTrue();
        await().atMost(T).until(() -> Instant.now().isAfter(firstExp.plusSeconds(1)));
        assertThat(ws.isOpen()).isTrue();
        assertThat(ws.closeFrame()).isNotDone();
    }
}
