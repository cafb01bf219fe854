package io.arqonbus.cli.server;

import io.arqonbus.server.internal.config.Setting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.cli.common.CliEnvironment;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.cli.Main;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The configuration file: any ARQONBUS_* setting as x_y, the permissions, and its place in the precedence. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private static ServerOptions parse(String... args) {
        CommandLine cli = Main.commandLine(new CliEnvironment(Map.of(), new CliRunner.ManualStopSignal()),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult result = cli.parseArgs(args);
        return ((ServeCommand) result.subcommand().commandSpec().userObject()).options;
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("arqonbus.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void fileSettingsSitBetweenDefaultsAndTheEnvironment() throws Exception {
        Path file = write("""
                server_port: 9400
                http_port: 9401
                max_history_size: 77
                rate_limit_per_second: 5
                """);
        ResolvedConfig resolved = parse("serve", "--config", file.toString(), "--http-port", "9501")
                .resolve(Map.of("ARQONBUS_MAX_HISTORY_SIZE", "88"));

        assertThat(resolved.config().listeners().port()).isEqualTo(9400);
        assertThat(resolved.source(Setting.PORT)).isEqualTo("file " + file);
        assertThat(resolved.config().listeners().httpPort()).isEqualTo(9501);
        assertThat(resolved.config().history().maxSize()).isEqualTo(88);
        assertThat(resolved.source(Setting.MAX_HISTORY_SIZE)).isEqualTo("env ARQONBUS_MAX_HISTORY_SIZE");
        assertThat(resolved.config().rateLimits().perSecond()).isEqualTo(5);
        assertThat(resolved.config().permissions()).isNull();
    }

    @Test
    void theFileCanBeNamedByTheEnvironmentAndCarriesPermissions() throws Exception {
        Path file = write("""
                permissions:
                  anonymous_role: user
                  roles:
                    user:
                      subscribe: ["science:*", "inbox:{sub}"]
                      publish: "science:chat"
                """);
        ResolvedConfig resolved = parse("serve").resolve(Map.of("ARQONBUS_CONFIG_FILE", file.toString()));

        assertThat(resolved.config().permissions().patterns("user", ChannelAction.SUBSCRIBE))
                .isEqualTo(List.of("science:*", "inbox:{sub}"));
        assertThat(resolved.config().permissions().patterns("USER", ChannelAction.PUBLISH))
                .isEqualTo(List.of("science:chat"));
        assertThat(resolved.config().permissions().patterns("user", ChannelAction.HISTORY)).isEmpty();
    }

    @Test
    void theEnvironmentOverTheFileIsNamedByItsVariable() throws Exception {
        Path file = write("server_port: 9400\n");
        assertThatThrownBy(() -> parse("serve", "--config", file.toString())
                .resolve(Map.of("ARQONBUS_SERVER_PORT", "x")))
                .hasMessage("ARQONBUS_SERVER_PORT: 'x' (expected: a whole number)");
    }

    @Test
    void valkeyTwinsAreKeysToo() throws Exception {
        Path file = write("storage_backend: valkey\nvalkey_url: redis://127.0.0.1:7001\n");
        ResolvedConfig resolved = parse("serve", "--config", file.toString()).resolve(Map.of());

        assertThat(Setting.REDIS_URL.read(resolved.config())).isEqualTo("redis://127.0.0.1:7001");
        assertThat(resolved.source(Setting.REDIS_URL)).isEqualTo("file " + file);
    }

    @Test
    void mistakesInTheFileAreNamed() throws Exception {
        Path typo = write("max_histroy_size: 5\n");
        assertThatThrownBy(() -> parse("serve", "--config", typo.toString()).resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key 'max_histroy_size' in " + typo + "; did you mean 'max_history_size'?");

        Path farOff = write("colour: blue\n");
        assertThatThrownBy(() -> parse("serve", "--config", farOff.toString()).resolve(Map.of()))
                .hasMessage("unknown key 'colour' in " + farOff + " (every ARQONBUS_X_Y variable can be written as x_y)");

        Path badAction = write("permissions: {roles: {user: {read: ['*']}}}\n");
        assertThatThrownBy(() -> parse("serve", "--config", badAction.toString()).resolve(Map.of()))
                .hasMessageContaining("unknown action 'read'");

        Path badValue = write("server_port: nine\n");
        assertThatThrownBy(() -> parse("serve", "--config", badValue.toString()).resolve(Map.of()))
                .hasMessage("key 'server_port' in " + badValue + ": 'nine' (expected: a whole number)");

        Path badLane = write("cron_max_jobs: 0\n");
        assertThatThrownBy(() -> parse("serve", "--config", badLane.toString()).resolve(Map.of()))
                .hasMessageStartingWith("key 'cron_max_jobs' in " + badLane + ": ");

        Path badGroup = write("casil_mode: loud\n");
        assertThatThrownBy(() -> parse("serve", "--config", badGroup.toString()).resolve(Map.of()))
                .hasMessageContaining("key 'casil_mode' in " + badGroup)
                .hasMessageNotContaining("ARQONBUS_CASIL_MODE");

        Path nested = write("max_connections: {a: 1}\n");
        assertThatThrownBy(() -> parse("serve", "--config", nested.toString()).resolve(Map.of()))
                .hasMessage("key 'max_connections' in " + nested + ": expected a plain value or a list");

        assertThatThrownBy(() -> parse("serve", "--config", dir.resolve("missing.yaml").toString()).resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yaml");
    }
}
