package io.arqonbus.server.config;

import io.arqonbus.server.internal.config.EnvironmentConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.internal.auth.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth settings: variables, validation with clear start-up errors, and keys that do not fit. */
class AuthConfigTest {
    @TempDir
    Path dir;

    private static ServerConfig.Builder auth() {
        return ServerConfig.builder().port(0).telemetryPort(-1).httpPort(-1).authEnabled(true);
    }

    private Path pem(String algorithm, String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (curve != null) {
            generator.initialize(new ECGenParameterSpec(curve));
        } else {
            generator.initialize(2048);
        }
        Path file = dir.resolve(algorithm + (curve == null ? "" : curve) + ".pem");
        Files.writeString(file, PemKeys.pem("PUBLIC KEY", generator.generateKeyPair().getPublic().getEncoded()));
        return file;
    }

    @Test
    void everyVariableIsRead() throws Exception {
        Path key = pem("RSA", null);
        ServerConfig c = new EnvironmentConfig(Map.of(
                "ARQONBUS_ENABLE_AUTH", "true",
                "ARQONBUS_AUTH_JWT_ALGORITHM", "rs256",
                "ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE", key.toString(),
                "ARQONBUS_AUTH_JWT_ISSUER", "https://issuer.example",
                "ARQONBUS_AUTH_JWT_AUDIENCE", "arqonbus",
                "ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS", "5",
                "ARQONBUS_AUTH_JWKS_REFRESH_SECONDS", "60",
                "ARQONBUS_AUTH_JWKS_MIN_REFETCH_SECONDS", "2")).applyTo(ServerConfig.builder()).build();
        assertThat(c.auth().jwtAlgorithm()).isEqualTo("RS256");
        assertThat(c.auth().jwtPublicKeyFile()).isEqualTo(key.toString());
        assertThat(c.auth().jwtIssuer()).isEqualTo("https://issuer.example");
        assertThat(c.auth().jwtAudience()).isEqualTo("arqonbus");
        assertThat(c.auth().jwtClockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.auth().jwksRefreshInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.auth().jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(2));
        ServerConfig jwks = new EnvironmentConfig(Map.of("ARQONBUS_ENABLE_AUTH", "1", "ARQONBUS_AUTH_JWT_ALGORITHM",
                "ES256", "ARQONBUS_AUTH_JWKS_URL", "https://127.0.0.1/jwks.json")).applyTo(ServerConfig.builder()).build();
        assertThat(jwks.auth().jwksUrl()).isEqualTo("https://127.0.0.1/jwks.json");
    }

    @Test
    void theDefaults() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.auth().jwtAlgorithm()).isEqualTo("HS256");
        assertThat(c.auth().jwtClockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.auth().jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.auth().jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.auth().jwtPublicKeyFile()).isNull();
        assertThat(c.auth().jwksUrl()).isNull();
    }

    @Test
    void inconsistentSettingsAreRefusedWithASentence() throws Exception {
        Path rsa = pem("RSA", null);
        assertThatThrownBy(() -> auth().build()).isInstanceOf(ConfigException.class)
                .hasMessage("auth is enabled but no JWT secret is set (ARQONBUS_AUTH_JWT_SECRET)");
        assertThatThrownBy(() -> auth().jwtSecret("s").jwtAlgorithm("none").build())
                .hasMessageContaining("JWT algorithm: none (expected: one of HS256");
        assertThatThrownBy(() -> auth().jwtSecret("s").jwtAlgorithm("PS256").build())
                .hasMessageContaining("JWT algorithm: PS256");
        assertThatThrownBy(() -> auth().jwtSecret("s").jwtPublicKeyFile(rsa.toString()).build())
                .hasMessageContaining("HS256 verifies with the shared secret");
        assertThatThrownBy(() -> auth().jwtAlgorithm("RS256").build())
                .hasMessageContaining("RS256 needs a public key: set ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL");
        assertThatThrownBy(() -> auth().jwtAlgorithm("RS256").jwtSecret("s").jwtPublicKeyFile(rsa.toString()).build())
                .hasMessageContaining("never with ARQONBUS_AUTH_JWT_SECRET");
        assertThatThrownBy(() -> auth().jwtAlgorithm("RS256").jwtPublicKeyFile(rsa.toString())
                .jwksUrl("http://127.0.0.1/j").build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> auth().jwtAlgorithm("RS256").jwtPublicKeyFile(dir.resolve("nope.pem").toString())
                .build()).hasMessageContaining("expected: a readable PEM file");
        assertThatThrownBy(() -> auth().jwtAlgorithm("ES256").jwksUrl("file:///etc/jwks.json").build())
                .hasMessageContaining("expected: an http or https URL");
        assertThatThrownBy(() -> auth().jwtAlgorithm("ES256").jwksUrl("http://127.0.0.1/j")
                .jwksRefreshInterval(Duration.ZERO).build()).hasMessageContaining("JWKS refresh interval");
        assertThatThrownBy(() -> auth().jwtSecret("s").jwtClockSkew(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("JWT clock skew");
        // Without auth nothing of this is checked.
        assertThat(ServerConfig.builder().jwtAlgorithm("none").build().auth().enabled()).isFalse();
    }

    @Test
    void aKeyThatDoesNotFitTheAlgorithmStopsTheStart() throws Exception {
        Path rsa = pem("RSA", null);
        Path p384 = pem("EC", "secp384r1");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
        assertStartFails(auth().jwtAlgorithm("ES256").jwtPublicKeyFile(rsa.toString()), "ES256 needs an EC public key");
        assertStartFails(auth().jwtAlgorithm("ES256").jwtPublicKeyFile(p384.toString()), "ES256 needs one on P-256");
        assertStartFails(auth().jwtAlgorithm("RS256").jwtPublicKeyFile(p384.toString()), "RS256 needs an RSA public key");
        assertStartFails(auth().jwtAlgorithm("RS256").jwtPublicKeyFile(junk.toString()), "no PEM public key");
    }

    private static void assertStartFails(ServerConfig.Builder builder, String message) {
        ArqonBus bus = ArqonBus.builder().config(builder.ioThreads(1).build()).build();
        try {
            assertThatThrownBy(() -> bus.start().orTimeout(30, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(ConfigException.class).hasMessageContaining(message);
        } finally {
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
