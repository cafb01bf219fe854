package io.arqonbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What someone trying {@code arqon} for the first time sees: help, short errors with suggestions. */
class NewcomerCliTest {
    @Test
    void helpListsTheCommands() {
        CliRunner.Result help = new CliRunner().run("help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("serve", "tail", "version", "check-config", "help");
        CliRunner.Result serveHelp = new CliRunner().run("help", "serve");
        assertThat(serveHelp.exitCode()).isZero();
        assertThat(serveHelp.out()).contains("--port", "--config");
    }

    @Test
    void serveHelpNamesTheConfigFileInThePrecedence() {
        CliRunner.Result help = new CliRunner().run("serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("Precedence: flags > ARQONBUS_* environment variables > the --config file");
    }

    @Test
    void anUnknownOptionGetsAShortErrorWithASuggestion() {
        CliRunner.Result result = new CliRunner().run("serve", "--prot", "9100");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("arqon: Unknown options: '--prot', '9100'", "Did you mean: --port",
                "Try 'arqon serve --help' for the options.");
        assertThat(result.err().lines().count()).isLessThanOrEqualTo(4);
        assertThat(result.err()).doesNotContain("Usage:");
    }

    @Test
    void aMistypedCommandGetsASuggestion() {
        CliRunner.Result result = new CliRunner().run("serv");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Did you mean: ", "serve").doesNotContain("Usage:");
    }
}
