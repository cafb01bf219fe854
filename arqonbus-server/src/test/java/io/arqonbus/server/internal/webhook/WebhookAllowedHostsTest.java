package io.arqonbus.server.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With ARQONBUS_WEBHOOK_ALLOWED_HOSTS set, a rule's URL must name one of the allowed hosts. */
class WebhookAllowedHostsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.webhookAllowedHosts(
            List.of("localhost", " *.Example.TEST ")));

    private static JsonNode register(TestClient client, String url) throws Exception {
        return client.command("op.webhook.register", TestClient.object().put("url", url))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void onlyListedHostsMayReceiveWebhooks() throws Exception {
        TestClient client = server.connect();
        assertThat(register(client, "http://localhost:9/hook").path("status").asText()).isEqualTo("success");
        assertThat(register(client, "https://Hooks.example.test/in").path("status").asText()).isEqualTo("success");
        for (String url : List.of("http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data",
                "https://example.test.evil.net/x", "http://localhost.evil.net/x")) {
            JsonNode refused = register(client, url);
            assertThat(refused.path("error_code").asText()).as(url).isEqualTo("AUTHORIZATION_ERROR");
            assertThat(refused.path("error").asText()).as(url).contains("is not allowed on this server");
        }
        // Arguments are checked before the host policy.
        JsonNode invalid = client.command("op.webhook.register", TestClient.object()
                .put("url", "http://127.0.0.1:9/hook").put("timeout_seconds", -1))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(invalid.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        JsonNode list = client.command("op.webhook.list", TestClient.object())
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(list.path("payload").path("data").path("count").asInt()).isEqualTo(2);
    }
}
