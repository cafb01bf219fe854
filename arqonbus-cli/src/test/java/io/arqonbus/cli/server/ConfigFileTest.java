package io.arqonbus.cli.server;

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

        assertThat(resolved.config().port()).isEqualTo(9400);
        assertThat(resolved.source(Setting.PORT)).isEqualTo("file " + file);
        assertThat(resolved.config().httpPort()).isEqualTo(9501);
        assertThat(resolved.config().maxHistorySize()).isEqualTo(88);
        assertThat(resolved.source(Setting.MAX_HISTORY_SIZE)).isEqualTo("env ARQONBUS_MAX_HISTORY_SIZE");
        assertThat(resolved.config().rateLimitPerSecond()).isEqualTo(5);
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
    void mistakesInTheFileAreNamed() throws Exception {
        Path typo = write("max_histroy_size: 5\n");
        assertThatThrownBy(() -> parse("serve", "--config", typo.toString()).resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'max_histroy_size'");

        Path badAction = write("permissions: {roles: {user: {read: ['*']}}}\n");
        assertThatThrownBy(() -> parse("serve", "--config", badAction.toString()).resolve(Map.of()))
                .hasMessageContaining("unknown action 'read'");

        Path badValue = write("server_port: nine\n");
        assertThatThrownBy(() -> parse("serve", "--config", badValue.toString()).resolve(Map.of()))
                .hasMessageContaining("ARQONBUS_SERVER_PORT: 'nine'");

        assertThatThrownBy(() -> parse("serve", "--config", dir.resolve("missing.yaml").toString()).resolve(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yaml");
    }
}
