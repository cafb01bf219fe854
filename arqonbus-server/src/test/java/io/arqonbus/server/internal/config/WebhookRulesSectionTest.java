package io.arqonbus.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.DeclaredWebhook;
import io.arqonbus.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file's {@code webhooks:} section: read into the settings, every mistake named. */
class WebhookRulesSectionTest {
    @TempDir
    Path dir;

    private ServerConfig load(String yaml) throws Exception {
        Path file = dir.resolve("arqonbus.yaml");
        Files.writeString(file, yaml);
        return new EnvironmentConfig(ConfigFile.load(file), Map.of()).applyTo(ServerConfig.builder()).build();
    }

    @Test
    void rulesAreReadWithTheirDefaults() throws Exception {
        ServerConfig config = load("""
                webhook_max_attempts: 3
                webhooks:
                  - {id: a, url: "https://hooks.example.com/a", secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw}
                  - id: b
                    url: http://127.0.0.1:9/b
                    room: ops
                    channel: "alerts-*"
                    secret: a-secret-of-sixteen-plus
                    timeout_seconds: 0.5
                    headers: {Authorization: "Bearer x"}
                """);
        assertThat(config.webhooks().maxAttempts()).isEqualTo(3);
        assertThat(config.webhooks().rules()).extracting(DeclaredWebhook::id).containsExactly("a", "b");
        DeclaredWebhook b = config.webhooks().rules().get(1);
        assertThat(b.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(b.headers()).containsEntry("Authorization", "Bearer x");
        assertThat(config.webhooks().rules().get(0).timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.webhooks().rules().get(0).room()).isNull();
    }

    @Test
    void mistakesNameTheFileAndTheRule() {
        String ok = "url: http://127.0.0.1/x, secret: a-secret-of-sixteen-plus";
        assertThatThrownBy(() -> load("webhooks: {id: a}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("arqonbus.yaml").hasMessageContaining("must be a list");
        assertThatThrownBy(() -> load("webhooks: [{id: a, url: http://127.0.0.1/x}]"))
                .hasMessageContaining("rule 'a'").hasMessageContaining("'secret' is required");
        assertThatThrownBy(() -> load("webhooks: [{id: 'a b', " + ok + "}]")).hasMessageContaining("rule id 'a b'");
        assertThatThrownBy(() -> load("webhooks: [{id: a, url: 'ftp://x/y', secret: a-secret-of-sixteen-plus}]"))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> load("webhooks: [{id: a, " + ok + ", colour: red}]"))
                .hasMessageContaining("webhooks[0]: unknown key 'colour'");
        assertThatThrownBy(() -> load("webhooks: [{id: a, " + ok + "}, {id: a, " + ok + "}]"))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> load("webhooks: [{id: a, " + ok + ", headers: {webhook-id: x}}]"))
                .hasMessageContaining("set by the server");
        assertThatThrownBy(() -> load("webhooks: [{id: a, " + ok + ", timeout_seconds: 31}]"))
                .hasMessageContaining("over the largest rule timeout");
    }
}
