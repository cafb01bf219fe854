package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With auth on and no API keys, the API takes an admin JWT (the server's verifier) and nothing less. */
class HttpApiAuthTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(TestTokens.SECRET));

    private final ApiCalls api = new ApiCalls(server);

    @Test
    void anAdminTokenPublishesAndOtherTokensAreRefused() throws Exception {
        TestClient sub = server.connect(TestTokens.bearer("ann", "user", null));
        sub.joinChannel("ops", "alerts").get(10, TimeUnit.SECONDS);
        String admin = TestTokens.token("root", "admin", null);
        ApiCalls.Answer ok = api.post("/api/publish",
                "{\"room\":\"ops\",\"channel\":\"alerts\",\"payload\":{\"level\":\"high\"}}", admin);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(sub.await(f -> f.path("type").asText().equals("message"), ArqonBusExtension.TIMEOUT)
                .path("sender").asText()).isEqualTo("http:root");

        ApiCalls.Answer user = api.post("/api/publish", "{\"room\":\"ops\",\"channel\":\"alerts\"}",
                TestTokens.token("bob", "user", null));
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.message()).contains("admin token");
        assertThat(api.get("/api/channels", null).status()).isEqualTo(401);
        ApiCalls.Answer invalid = api.get("/api/channels", "not.a.token");
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(invalid.code()).isEqualTo("UNAUTHORIZED");
        assertThat(api.post("/api/casil/reload", "{}", admin).status()).isEqualTo(200);
    }
}
