package io.arqonbus.server.internal.webhook;

import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.data;
import static io.arqonbus.server.internal.webhook.WebhookDeliveryTest.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.WebhookSettings;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deliveries carry Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}) that an independent verifier, written here from the specification
 * (standardwebhooks.com, "Verifying webhook signatures"), accepts; the verifier itself is checked
 * against the specification's published test vector.
 */
class StandardWebhooksSignatureTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.webhooks(WebhookSettings.defaults()
            .withRetryInitialDelay(Duration.ofMillis(50)).withRetryMaxDelay(Duration.ofMillis(200))));

    /**
     * The specification's verifier: strip {@code whsec_}, base64-decode the key, HMAC-SHA256 over
     * {@code id.timestamp.body}, base64, compare in constant time with each space-separated
     * {@code v1,} signature; refuse timestamps more than 5 minutes off.
     */
    static boolean verify(String secret, String id, String timestamp, String signatures, byte[] body,
            long nowSeconds) throws Exception {
        if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
        for (String candidate : signatures.split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1") && MessageDigest.isEqual(expected,
                    candidate.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theVerifierAndTheSignerReproduceThePublishedTestVector() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        String published = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assertThat(verify(secret, id, "1614265330", published, body, 1614265330)).isTrue();
        assertThat(verify(secret, id, "1614265330", "v1,bm9wZQ== " + published, body, 1614265330)).isTrue();
        assertThat(verify(secret, id, "1614265330", published, "{\"test\": 2432232315}".getBytes(
                StandardCharsets.UTF_8), 1614265330)).isFalse();
        assertThat(verify(secret, id, "1614265330", published, body, 1614265330 + 301)).isFalse();
        assertThat(StandardSignature.sign(secret, id, "1614265330", body)).isEqualTo(published);
    }

    @Test
    void deliveriesAreAcceptedByTheIndependentVerifierAndRetriesKeepTheirId() throws Exception {
        try (Receiver receiver = new Receiver().failFirst(1)) {
            TestClient owner = server.connect();
            // A generated secret and a given one in the whsec_ form.
            String generated = data(reply(owner, "op.webhook.register", "{\"url\":\"" + receiver.url("/gen")
                    + "\",\"room\":\"signed\"}")).path("secret").asText();
            String given = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            data(reply(owner, "op.webhook.register", "{\"url\":\"" + receiver.url("/given")
                    + "\",\"room\":\"signed\",\"secret\":\"" + given + "\"}"));
            assertThat(Base64.getDecoder().decode(generated.substring(6))).hasSize(32);

            Envelope sent = server.bus().publish("signed", "c", TestClient.object().put("n", 1));
            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> receiver.delivered().size() == 2);
            List<Receiver.Request> all = receiver.requests();
            assertThat(all).hasSize(3); // one of the two first attempts failed and was retried
            long now = System.currentTimeMillis() / 1000;
            for (Receiver.Request request : all) {
                String secret = request.path().equals("/gen") ? generated : given;
                String id = request.header("webhook-id");
                assertThat(verify(secret, id, request.header("webhook-timestamp"), request.header("webhook-signature"),
                        request.body(), now)).as("%s", request.path()).isTrue();
                assertThat(verify(secret, id + "x", request.header("webhook-timestamp"),
                        request.header("webhook-signature"), request.body(), now)).isFalse();
                // The event id for receiver-side deduplication: header, body and the original header agree.
                assertThat(id).startsWith(sent.id() + ":wh_");
                assertThat(request.json().path("event_id").asText()).isEqualTo(id);
                assertThat(request.header("X-ArqonBus-Event-Id")).isEqualTo(id);
            }
            // Both attempts of the retried delivery carry the same id (at least once, deduplicated by id).
            assertThat(all.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(2);
            owner.close();
        }
    }
}
