package io.arqonbus.server.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.internal.inspect.CasilPolicyParser;
import io.arqonbus.server.internal.inspect.Secrets;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a webhook may see: with auth on, a tenant's rule receives only its own tenant's
 * publications; with CASIL in enforce mode, a planted AWS key is redacted before it reaches the
 * receiver, exactly as members receive it.
 */
class WebhookConfinementTest {
    static final String SECRET = "webhook-test-secret-that-is-at-least-32-bytes!";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET)
            .casil(policy()));

    private static CasilPolicy policy() {
        try {
            return CasilPolicyParser.merge(CasilPolicy.defaults(), (ObjectNode) TestClient.parse("""
                    {"enabled":true,"mode":"enforce","transport_redaction":true,
                     "redaction_patterns":["builtin:aws_access_key"],"scope_include":["vault:*"]}"""));
        } catch (CasilPolicyException e) {
            throw new IllegalStateException(String.join("; ", e.problems()), e);
        }
    }

    static TestClient connect(String sub, String tenant) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub).claim("role", "user")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return server.connect(Map.of("Authorization", "Bearer " + jwt.serialize()));
    }

    @Test
    void aTenantsRuleReceivesOnlyItsOwnTenantsPublications() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestClient alice = connect("alice", "t1");
            TestClient alice2 = connect("alice2", "t1");
            TestClient mallory = connect("mallory", "t2");
            String ruleId = WebhookDeliveryTest.data(WebhookDeliveryTest.reply(alice, "op.webhook.register",
                    "{\"url\":\"" + receiver.url("/t1") + "\",\"room\":\"shared\"}")).path("rule_id").asText();
            WebhookDeliveryTest.publish(mallory, "shared", "news", 1);
            WebhookDeliveryTest.publish(alice2, "shared", "news", 2);
            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> receiver.delivered().size() >= 1);
            assertThat(WebhookDeliveryTest.data(WebhookDeliveryTest.reply(mallory, "op.webhook.list", "{}"))
                    .path("count").asInt()).isZero();
            assertThat(WebhookDeliveryTest.reply(mallory, "op.webhook.unregister", "{\"rule_id\":\"" + ruleId + "\"}")
                    .path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
            // Mallory's publication went first; had it matched it would be here by now.
            WebhookDeliveryTest.publish(alice2, "shared", "news", 3);
            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> receiver.delivered().size() >= 2);
            assertThat(receiver.requests()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.json().path("sender_client_id").asText())
                            .isEqualTo(alice2.clientId()));
        }
    }

    @Test
    void casilEnforceRedactsAPlantedAwsKeyBeforeItReachesTheWebhook() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestClient owner = connect("owner", null);
            TestClient publisher = connect("publisher", null);
            WebhookDeliveryTest.data(WebhookDeliveryTest.reply(owner, "op.webhook.register",
                    "{\"url\":\"" + receiver.url("/vault") + "\",\"room\":\"vault\"}"));
            ObjectNode frame = TestClient.object().put("type", "message").put("room", "vault")
                    .put("channel", "keys");
            frame.putObject("payload").put("text", "key " + Secrets.AWS_ACCESS_KEY + " here");
            publisher.send(frame).join();
            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> receiver.delivered().size() >= 1);
            Receiver.Request request = receiver.delivered().get(0);
            assertThat(request.text()).doesNotContain(Secrets.AWS_ACCESS_KEY).doesNotContain("AKIA");
            JsonNode payload = request.json().path("envelope").path("payload");
            assertThat(payload.path("text").asText()).isEqualTo("key ***REDACTED*** here");
        }
    }
}
