package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.testing.Frames.error;
import static io.arqonbus.server.testing.Frames.responseTo;
import static io.arqonbus.server.testing.Frames.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth on, the token's {@code sub} is the only client id a connection can take, on every
 * path: identification frames, the upgrade request, and the sender of what it publishes.
 */
class IdentityBindingTest {
    static final String SECRET = "identity-test-secret-of-at-least-32-bytes";
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static String token(String sub) {
        return Tokens.hmac(JWSAlgorithm.HS256, SECRET, Tokens.claims(sub).build());
    }

    private static String clientIdOf(RawWebSocket ws, String requestId) throws Exception {
        ws.send("{\"id\":\"" + requestId + "\",\"type\":\"command\",\"command\":\"ping\"}");
        return ws.await(responseTo(requestId), T).path("payload").path("data").path("client_id").asText();
    }

    @Test
    void identifyingAsAnotherClientIsRefusedAndTheIdStays() throws Exception {
        RawWebSocket victim = accepted(raw, token("victim"));
        victim.send("{\"client_id\":\"victim\",\"client_type\":\"app\"}");
        assertThat(clientIdOf(victim, "arq_v1")).isEqualTo("victim");
        RawWebSocket other = accepted(raw, token("mallory"));
        String assigned = clientIdOf(other, "arq_m0");
        RawWebSocket anonymousSub = accepted(raw, Tokens.hmac(JWSAlgorithm.HS256, SECRET,
                new JWTClaimsSet.Builder().issueTime(new java.util.Date())
                        .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(300))).build()));
        String anonymousAssigned = clientIdOf(anonymousSub, "arq_a0");
        for (String target : new String[] {"victim", "someone-offline", anonymousAssigned}) {
            other.send("{\"client_id\":\"" + target + "\",\"client_type\":\"app\"}");
            JsonNode refused = other.await(error("AUTHORIZATION_ERROR"), T);
            assertThat(refused.path("error").asText()).contains(target).contains("token's subject");
        }
        // A token without sub may not take any id either.
        anonymousSub.send("{\"client_id\":\"free-id\",\"client_type\":\"app\"}");
        anonymousSub.await(error("AUTHORIZATION_ERROR"), T);
        assertThat(clientIdOf(other, "arq_m1")).isEqualTo(assigned);
        assertThat(clientIdOf(anonymousSub, "arq_a1")).isEqualTo(anonymousAssigned);
        assertThat(clientIdOf(victim, "arq_v2")).isEqualTo("victim");
        assertThat(server.components().sessions().find("victim")).isNotNull();
    }

    @Test
    void aSecondConnectionOfTheSameSubjectCannotTakeTheIdInUse() throws Exception {
        RawWebSocket first = accepted(raw, token("twin"));
        first.send("{\"client_id\":\"twin\"}");
        assertThat(clientIdOf(first, "arq_t1")).isEqualTo("twin");
        RawWebSocket second = accepted(raw, token("twin"));
        second.send("{\"client_id\":\"twin\"}");
        second.await(error("CLIENT_ID_TAKEN"), T);
        assertThat(clientIdOf(second, "arq_t2")).startsWith("arq_client_");
    }

    @Test
    void theUpgradeRequestCannotChooseTheClientId() throws Exception {
        RawWebSocket ws = raw.connect(server.wsUri("/?client_id=victim&sender=victim&token=" + token("mallory")),
                RawWebSocket.Options.defaults().withHeaders(Map.of("X-Client-Id", "victim", "Client-Id", "victim")));
        JsonNode welcome = ws.next(T);
        assertThat(welcome.path("payload").path("client_id").asText()).startsWith("arq_client_");
        assertThat(clientIdOf(ws, "arq_u1")).startsWith("arq_client_");
    }

    @Test
    void publicationsAndPrivateMessagesCarryTheRealSenderWhateverTheFrameClaims() throws Exception {
        RawWebSocket victim = accepted(raw, token("victim-2"));
        victim.send("{\"client_id\":\"victim-2\"}");
        victim.send("{\"id\":\"arq_j1\",\"type\":\"command\",\"command\":\"join_channel\","
                + "\"args\":{\"room\":\"idb\",\"channel\":\"c\"}}");
        victim.await(responseTo("arq_j1"), T);
        RawWebSocket mallory = accepted(raw, token("mallory-2"));
        mallory.send("{\"client_id\":\"mallory-2\"}");
        mallory.send("{\"type\":\"message\",\"room\":\"idb\",\"channel\":\"c\",\"sender\":\"victim-2\","
                + "\"from\":\"victim-2\",\"from_client\":\"victim-2\",\"client_id\":\"victim-2\","
                + "\"payload\":{\"text\":\"forged-publication\"}}");
        assertThat(victim.await(text("forged-publication"), T).path("sender").asText()).isEqualTo("mallory-2");
        mallory.send("{\"type\":\"private\",\"to\":[\"victim-2\"],\"sender\":\"arqonbus\",\"from\":\"victim-2\","
                + "\"payload\":{\"text\":\"forged-private\"}}");
        assertThat(victim.await(text("forged-private"), T).path("sender").asText()).isEqualTo("mallory-2");
    }
}
