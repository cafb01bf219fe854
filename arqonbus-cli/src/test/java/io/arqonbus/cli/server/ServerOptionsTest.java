package io.arqonbus.cli.server;

import io.arqonbus.server.internal.config.Setting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.cli.common.CliEnvironment;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.cli.Main;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.config.TracingMode;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.config.StoreSync;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerOptionsTest {
    private static ServerOptions parse(String... args) {
        CommandLine cli = Main.commandLine(new CliEnvironment(Map.of(), new CliRunner.ManualStopSignal()),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult result = cli.parseArgs(args);
        ServeCommand serve = (ServeCommand) result.subcommand().commandSpec().userObject();
        return serve.options;
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        ResolvedConfig resolved = parse("serve").resolve(Map.of());
        assertThat(resolved.config().listeners().port()).isEqualTo(9100);
        assertThat(resolved.config().listeners().telemetryPort()).isEqualTo(8081);
        assertThat(resolved.config().listeners().httpPort()).isEqualTo(8080);
        assertThat(resolved.config().listeners().host()).isEqualTo("127.0.0.1");
        assertThat(resolved.source(Setting.PORT)).isEqualTo("default");
        assertThat(resolved.source(Setting.HTTP_HOST)).isEqualTo("default (bus host)");
    }

    @Test
    void environmentOverridesDefaultsAndFlagsOverrideEnvironment() {
        Map<String, String> env = Map.of("ARQONBUS_SERVER_PORT", "9200", "ARQONBUS_HTTP_PORT", "9201",
                "ARQONBUS_MAX_CONNECTIONS", "50");
        ResolvedConfig resolved = parse("serve", "--port", "9300", "--max-connections=60").resolve(env);
        assertThat(resolved.config().listeners().port()).isEqualTo(9300);
        assertThat(resolved.source(Setting.PORT)).isEqualTo("flag --port");
        assertThat(resolved.config().listeners().httpPort()).isEqualTo(9201);
        assertThat(resolved.source(Setting.HTTP_PORT)).isEqualTo("env ARQONBUS_HTTP_PORT");
        assertThat(resolved.config().limits().maxConnections()).isEqualTo(60);
        assertThat(resolved.source(Setting.MAX_CONNECTIONS)).isEqualTo("flag --max-connections");
    }

    @Test
    void everyFlagReachesTheConfiguration() {
        ResolvedConfig resolved = parse("serve", "--host", "127.0.0.2", "--port", "1", "--telemetry-host", "127.0.0.3",
                "--telemetry-port", "-1", "--http-host", "127.0.0.4", "--http-port", "3", "--io-threads", "3",
                "--compression", "--max-message-size", "2048", "--max-frame-size", "4096", "--max-connections", "7",
                "--max-pending-handshakes", "9", "--slow-consumer-policy", "DROP", "--auth", "--jwt-secret", "s3cret", "--jwt-algorithm", "hs512",
                "--jwt-issuer", "iss", "--jwt-audience", "aud", "--jwt-clock-skew-seconds", "5",
                "--max-history-size", "5", "--legacy-acks=false", "--metrics-legacy-names", "--stats-interval-seconds", "0",
                "--shutdown-grace-seconds", "1.5", "--redis-url", "redis://127.0.0.1:6390/2",
                "--storage-mode", "strict", "--cluster", "redis://127.0.0.1:6390/2", "--node-id", "node-x",
                "--tracing", "off")
                .resolve(Map.of());
        var c = resolved.config();
        assertThat(c.tracing()).isEqualTo(TracingMode.OFF);
        assertThat(c.listeners().host()).isEqualTo("127.0.0.2");
        assertThat(c.listeners().port()).isEqualTo(1);
        assertThat(c.listeners().telemetryHost()).isEqualTo("127.0.0.3");
        assertThat(c.listeners().telemetryPort()).isEqualTo(-1);
        assertThat(c.listeners().httpHost()).isEqualTo("127.0.0.4");
        assertThat(c.listeners().httpPort()).isEqualTo(3);
        assertThat(c.listeners().ioThreads()).isEqualTo(3);
        assertThat(c.listeners().compression()).isTrue();
        assertThat(c.limits().maxMessageSize()).isEqualTo(2048);
        assertThat(c.limits().maxFrameSize()).isEqualTo(4096);
        assertThat(c.limits().maxConnections()).isEqualTo(7);
        assertThat(c.limits().maxPendingHandshakes()).isEqualTo(9);
        assertThat(c.limits().slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
        assertThat(c.auth().enabled()).isTrue();
        assertThat(c.auth().jwtSecret()).isEqualTo("s3cret");
        assertThat(c.auth().jwtAlgorithm()).isEqualTo("HS512");
        assertThat(c.history().maxSize()).isEqualTo(5);
        assertThat(c.legacyAcks()).isFalse();
        assertThat(c.metricsLegacyNames()).isTrue();
        assertThat(c.timeouts().statsInterval()).isEqualTo(Duration.ZERO);
        assertThat(c.timeouts().shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.storage().redis().display()).isEqualTo("redis://127.0.0.1:6390/2");
        assertThat(c.storage().mode()).isEqualTo(StorageMode.STRICT);
        assertThat(c.cluster().redis().display()).isEqualTo("redis://127.0.0.1:6390/2");
        assertThat(c.cluster().nodeId()).isEqualTo("node-x");
        assertThat(c.auth().jwtIssuer()).isEqualTo("iss");
        assertThat(c.auth().jwtAudience()).isEqualTo("aud");
        assertThat(c.auth().jwtClockSkew()).isEqualTo(Duration.ofSeconds(5));
        for (Setting setting : Setting.values()) {
            // The public-key settings exclude the secret (everyKeyFlagReachesTheConfiguration covers them),
            // and the file store excludes Redis (theFileStoreFlagsReachTheConfiguration covers it).
            if (setting.flag() != null && setting != Setting.JWT_PUBLIC_KEY_FILE && setting != Setting.JWKS_URL
                    && setting != Setting.STORE && setting != Setting.STORE_SYNC) {
                assertThat(resolved.source(setting)).as(setting.key()).isEqualTo("flag " + setting.flag());
            }
        }
    }

    @Test
    void theHistoryStoreIsMemoryUnlessAFileDirectoryIsGiven() {
        assertThat(parse("serve").resolve(Map.of()).config().storage().store()).isEqualTo(StoreLocation.MEMORY);
        assertThat(parse("serve").resolve(Map.of()).config().storage().sync()).isEqualTo(StoreSync.ALWAYS);

        ResolvedConfig env = parse("serve").resolve(Map.of("ARQONBUS_STORE", "file:./data",
                "ARQONBUS_STORE_SYNC", "None"));
        assertThat(env.config().storage().store().directory()).isEqualTo(Path.of("data").toAbsolutePath().normalize());
        assertThat(env.config().storage().store().toString()).isEqualTo("file:" + Path.of("data").toAbsolutePath().normalize());
        assertThat(env.config().storage().sync()).isEqualTo(StoreSync.NONE);
        assertThat(env.source(Setting.STORE)).isEqualTo("env ARQONBUS_STORE");

        ResolvedConfig flag = parse("serve", "--store", "memory").resolve(Map.of("ARQONBUS_STORE", "file:data"));
        assertThat(flag.config().storage().store()).isEqualTo(StoreLocation.MEMORY);
        assertThat(flag.source(Setting.STORE)).isEqualTo("flag --store");

        assertThatThrownBy(() -> parse("serve", "--store", "disk").resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--store: 'disk' (expected: memory or file:<directory>)");
        assertThatThrownBy(() -> parse("serve").resolve(Map.of("ARQONBUS_STORE", "file:")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_STORE: 'file:'");
        assertThatThrownBy(() -> parse("serve", "--store-sync", "sometimes").resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--store-sync: 'sometimes' (expected: always or none)");
    }

    @Test
    void everyKeyFlagReachesTheConfiguration(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("k.pem"), io.arqonbus.server.internal.auth.PemKeys
                .pem("PUBLIC KEY", generator.generateKeyPair().getPublic().getEncoded()));
        ResolvedConfig file = parse("serve", "--auth", "--jwt-algorithm", "rs256", "--jwt-public-key-file",
                pem.toString()).resolve(Map.of());
        assertThat(file.config().auth().jwtPublicKeyFile()).isEqualTo(pem.toString());
        assertThat(file.source(Setting.JWT_PUBLIC_KEY_FILE)).isEqualTo("flag --jwt-public-key-file");
        ResolvedConfig jwks = parse("serve", "--auth", "--jwt-algorithm", "ES256", "--jwks-url",
                "http://127.0.0.1:1/jwks.json").resolve(Map.of());
        assertThat(jwks.config().auth().jwksUrl()).isEqualTo("http://127.0.0.1:1/jwks.json");
        assertThat(jwks.source(Setting.JWKS_URL)).isEqualTo("flag --jwks-url");
    }

    @Test
    void booleanFlagCanTurnOffWhatTheEnvironmentTurnedOn() {
        Map<String, String> env = Map.of("ARQONBUS_ENABLE_AUTH", "true", "ARQONBUS_AUTH_JWT_SECRET", "x");
        assertThat(parse("serve").resolve(env).config().auth().enabled()).isTrue();
        assertThat(parse("serve", "--auth=false").resolve(env).config().auth().enabled()).isFalse();
    }

    @Test
    void redisUrlFlagSelectsRedisAndKeepsWhatTheEnvironmentSaidAboutIt() {
        Map<String, String> env = Map.of("ARQONBUS_STORAGE_BACKEND", "valkey", "ARQONBUS_VALKEY_PASSWORD", "pw",
                "ARQONBUS_REDIS_KEY_PREFIX", "bus1:");
        ResolvedConfig resolved = parse("serve", "--redis-url", "redis://127.0.0.1:7000").resolve(env);
        assertThat(resolved.config().storage().redis().backend()).isEqualTo("valkey");
        assertThat(resolved.config().storage().redis().password()).isEqualTo("pw");
        assertThat(resolved.config().storage().redis().keyPrefix()).isEqualTo("bus1:");
        assertThat(resolved.config().storage().redis().port()).isEqualTo(7000);
        assertThat(Setting.REDIS_URL.read(resolved.config())).isEqualTo("redis://:********@127.0.0.1:7000");
        assertThat(resolved.source(Setting.REDIS_URL)).isEqualTo("flag --redis-url");
        assertThat(Setting.STORAGE_MODE.read(resolved.config())).isEqualTo("degraded");
        assertThatThrownBy(() -> parse("serve", "--redis-url", "http://x").resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--redis-url");
        assertThatThrownBy(() -> parse("serve", "--storage-mode", "lax").resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("degraded or strict");
    }

    @Test
    void invalidCombinationsAreConfigErrors() {
        assertThatThrownBy(() -> parse("serve", "--auth").resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no JWT secret");
        assertThatThrownBy(() -> parse("serve").resolve(Map.of("ARQONBUS_SERVER_PORT", "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_SERVER_PORT");
    }

    @Test
    void unparsableFlagIsAUsageError() {
        CliRunner.Result result = new CliRunner().run("serve", "--port", "abc");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--port").contains("abc");
        assertThat(new CliRunner().run("serve", "--no-such-flag").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("no-such-command").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run().exitCode()).isEqualTo(2);
    }

    @Test
    void theFileStoreFlagsReachTheConfiguration() {
        ServerConfig c = parse("serve", "--store", "file:/var/lib/arqonbus", "--store-sync", "none")
                .resolve(Map.of()).config();
        assertThat(c.storage().store()).isEqualTo(StoreLocation.file(Path.of("/var/lib/arqonbus")));
        assertThat(c.storage().sync()).isEqualTo(StoreSync.NONE);
    }

    @Test
    void redisAndAFileStoreTogetherAreRefused() {
        assertThatThrownBy(() -> parse("serve", "--store", "file:/tmp/x", "--redis-url", "redis://127.0.0.1:6390")
                .resolve(Map.of()))
                .hasMessageContaining("either");
    }
}
