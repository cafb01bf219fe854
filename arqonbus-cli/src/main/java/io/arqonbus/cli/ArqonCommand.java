package io.arqonbus.cli;

import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliEnvironment;

import io.arqonbus.bench.BenchCommand;
import io.arqonbus.cli.remote.HistoryCommand;
import io.arqonbus.cli.remote.PublishCommand;
import io.arqonbus.cli.remote.StatusCommand;
import io.arqonbus.cli.remote.TailCommand;
import io.arqonbus.cli.remote.VersionCommand;
import io.arqonbus.cli.server.CheckConfigCommand;
import io.arqonbus.cli.server.ServeCommand;
import io.arqonbus.cli.token.CheckTokenCommand;
import io.arqonbus.cli.token.GenTokenCommand;
import io.arqonbus.server.status.ServerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root {@code arqon} command; it only holds the subcommands and the injected environment. */
@Command(name = "arqon",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ArqonCommand.Version.class,
        description = "ArqonBus: a structured WebSocket message bus.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, VersionCommand.class, StatusCommand.class,
                TailCommand.class, GenTokenCommand.class, CheckTokenCommand.class, BenchCommand.class,
                PublishCommand.class, HistoryCommand.class})
public final class ArqonCommand implements Runnable, CliContext {
    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    public ArqonCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The environment variables and stop signal the subcommands use. */
    @Override
    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: serve, check-config, version, "
                + "status, tail, gen-token, check-token or bench");
    }

    /** {@code arqon --version}: the version of this build (no server needed). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"arqon " + ServerInfo.readVersion()[0]};
        }
    }
}
