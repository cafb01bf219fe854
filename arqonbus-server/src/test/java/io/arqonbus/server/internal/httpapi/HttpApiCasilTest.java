package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.internal.inspect.Secrets;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An HTTP publication is no way around CASIL: enforce mode, set through the API's reload, blocks it. */
class HttpApiCasilTest {
    static final String ADMIN = "admin-key-0123456789";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .httpApi(h -> h.withKeys(List.of(ApiKey.parse("ops:admin=" + ADMIN)))));

    private final ApiCalls api = new ApiCalls(server);

    @Test
    void enforceModeBlocksAnHttpPublicationCarryingASecret() throws Exception {
        ApiCalls.Answer reload = api.post("/api/casil/reload",
                "{\"enabled\":true,\"mode\":\"enforce\",\"block_on_probable_secret\":true}", ADMIN);
        assertThat(reload.status()).isEqualTo(200);
        assertThat(reload.json().path("policy").path("mode").asText()).isEqualTo("enforce");
        assertThat(api.post("/api/casil/reload", "{\"mode\":\"nonsense\"}", ADMIN).code())
                .isEqualTo("VALIDATION_ERROR");

        TestClient sub = server.connect();
        sub.joinChannel("vault", "keys").get(10, TimeUnit.SECONDS);
        ApiCalls.Answer blocked = api.post("/api/publish", "{\"room\":\"vault\",\"channel\":\"keys\","
                + "\"payload\":{\"text\":\"creds " + Secrets.AWS_ACCESS_KEY + "\"}}", ADMIN);
        assertThat(blocked.status()).isEqualTo(422);
        assertThat(blocked.code()).isEqualTo("CASIL_POLICY_BLOCKED_SECRET");
        assertThat(blocked.json().path("error").path("reason").asText()).isEqualTo("contains_probable_secret");
        assertThat(blocked.raw().body()).doesNotContain("AKIA");
        ApiCalls.Answer send = api.post("/api/send", "{\"to\":[\"" + sub.clientId() + "\"],"
                + "\"payload\":{\"text\":\"" + Secrets.AWS_ACCESS_KEY + "\"}}", ADMIN);
        assertThat(send.status()).isEqualTo(422);

        ApiCalls.Answer clean = api.post("/api/publish",
                "{\"room\":\"vault\",\"channel\":\"keys\",\"payload\":{\"text\":\"hello\"}}", ADMIN);
        assertThat(clean.status()).isEqualTo(200);
        var got = sub.await(f -> f.path("type").asText().equals("message"), ArqonBusExtension.TIMEOUT);
        assertThat(got.path("payload").path("text").asText()).isEqualTo("hello");
        assertThat(sub.poll(Duration.ofMillis(200))).isNull();
    }
}
