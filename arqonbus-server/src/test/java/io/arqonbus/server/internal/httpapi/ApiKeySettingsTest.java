package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.HttpApiSettings;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.config.ConfigFile;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.internal.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys from the environment and the YAML file: digests kept, secrets never shown, bad entries named. */
class ApiKeySettingsTest {
    @Test
    void keysComeFromTheEnvironmentWithScopesTenantsAndDigests() {
        String digest = HexFormat.of().formatHex(ApiKey.digestOf("hashed-secret-0123456789"));
        ServerConfig config = new EnvironmentConfig(Map.of("ARQONBUS_API_KEYS",
                "billing:publish=plain-secret-0123456789, ops:admin=sha256:" + digest + ",acme:read:acme=acme-secret-0123456789",
                "ARQONBUS_API_RATE_LIMIT", "50")).applyTo(ServerConfig.builder()).build();
        HttpApiSettings api = config.httpApi();
        assertThat(api.ratePerSecond()).isEqualTo(50);
        assertThat(api.keys()).extracting(ApiKey::name).containsExactly("billing", "ops", "acme");
        assertThat(api.keys()).extracting(ApiKey::scope).containsExactly(ApiScope.PUBLISH, ApiScope.ADMIN, ApiScope.READ);
        assertThat(api.keys().get(2).tenant()).isEqualTo("acme");
        assertThat(api.keys().get(0).matches(ApiKey.digestOf("plain-secret-0123456789"))).isTrue();
        assertThat(api.keys().get(1).matches(ApiKey.digestOf("hashed-secret-0123456789"))).isTrue();
        assertThat(api.keys().get(1).matches(ApiKey.digestOf("plain-secret-0123456789"))).isFalse();
        String shown = Setting.API_KEYS.read(config);
        assertThat(shown).isEqualTo("billing:publish,ops:admin,acme:read:acme").doesNotContain("secret");
        assertThat(api.keys().get(0).toString()).doesNotContain("plain-secret");
    }

    @Test
    void badEntriesAreNamedWithoutTheirSecret() {
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_API_KEYS", "x:root=some-secret-0123456789"))
                .applyTo(ServerConfig.builder()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_API_KEYS")
                .hasMessageContaining("scope 'root'").hasMessageNotContaining("some-secret");
        assertThatThrownBy(() -> ApiKey.parse("x:read=short")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shorter than 16");
        assertThatThrownBy(() -> ApiKey.parse("no-equals-sign")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ApiKey.parse("x:read=sha256:abc")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> HttpApiSettings.defaults().withKeys(java.util.List.of(
                ApiKey.parse("x:read=aaaaaaaaaaaaaaaaaaaa"), ApiKey.parse("x:admin=bbbbbbbbbbbbbbbbbbbb"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("declared twice");
    }

    @Test
    void theConfigFileTakesAYamlList(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arqonbus.yaml");
        Files.writeString(file, """
                api_keys:
                  - "billing:publish=plain-secret-0123456789"
                  - "audit:read=audit-secret-0123456789"
                api_max_body_bytes: 4096
                """);
        ServerConfig config = new EnvironmentConfig(ConfigFile.load(file), Map.of())
                .applyTo(ServerConfig.builder()).build();
        assertThat(config.httpApi().keys()).extracting(ApiKey::name).containsExactly("billing", "audit");
        assertThat(config.httpApi().maxBodyBytes()).isEqualTo(4096);
    }
}
