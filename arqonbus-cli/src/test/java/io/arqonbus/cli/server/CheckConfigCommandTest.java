package io.arqonbus.cli.server;

import io.arqonbus.server.internal.config.Setting;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.cli.CliRunner;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckConfigCommandTest {
    @Test
    void printsEverySettingWithItsSourceAndExitsZero() {
        CliRunner.Result result = new CliRunner(Map.of("ARQONBUS_SERVER_PORT", "9200",
                "ARQONBUS_AUTH_JWT_SECRET", "top-secret"))
                .run("check-config", "--http-port", "9300");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("(?m)^port +9200 +env ARQONBUS_SERVER_PORT$")
                .containsPattern("(?m)^http_port +9300 +flag --http-port$")
                .containsPattern("(?m)^telemetry_port +8081 +default$")
                .containsPattern("(?m)^store +memory +default$")
                .containsPattern("(?m)^jwt_secret +\\*+ +env ARQONBUS_AUTH_JWT_SECRET$")
                .doesNotContain("top-secret")
                .endsWith("configuration OK" + System.lineSeparator());
        for (Setting setting : Setting.values()) {
            assertThat(result.out()).contains(setting.key());
        }
        assertThat(result.err()).isEmpty();
    }

    @Test
    void tlsFilesThatAreNotACertificateAndKeyExitTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("server.crt"), "not a certificate\n");
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("server.key"), "not a key\n");
        CliRunner.Result result = new CliRunner(Map.of("ARQONBUS_TLS_CERT_FILE", cert.toString(),
                "ARQONBUS_TLS_KEY_FILE", key.toString())).run("check-config");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("arqon: invalid configuration: TLS: cannot use certificate " + cert);
    }

    @Test
    void invalidConfigurationExitsTwoWithTheReason() {
        CliRunner.Result auth = new CliRunner().run("check-config", "--auth");
        assertThat(auth.exitCode()).isEqualTo(2);
        assertThat(auth.err()).startsWith("arqon: invalid configuration: auth is enabled but no JWT secret");

        CliRunner.Result port = new CliRunner().run("check-config", "--port", "70000");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("port: 70000");

        CliRunner.Result env = new CliRunner(Map.of("ARQONBUS_COMPRESSION", "maybe")).run("check-config");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("ARQONBUS_COMPRESSION: 'maybe'");
        assertThat(env.out()).isEmpty();
    }
}
