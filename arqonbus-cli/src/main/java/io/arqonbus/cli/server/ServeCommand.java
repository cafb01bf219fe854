package io.arqonbus.cli.server;

import io.arqonbus.cli.common.StopSignal;

import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arqon serve}: runs the server until SIGTERM or SIGINT, then stops gracefully (clients are
 * closed with 1001 and given the shutdown grace to leave) and exits 0.
 */
@Command(name = "serve", modelTransformer = ServerFlags.class,
        description = {"Run the ArqonBus server (bus, telemetry and HTTP ports) until SIGTERM or SIGINT.",
                "Precedence: flags > ARQONBUS_* environment variables > the --config file (YAML or JSON; "
                        + "env ARQONBUS_CONFIG_FILE) > defaults."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    /** Time allowed for the stop on top of the shutdown grace before giving up. */
    private static final long STOP_SLACK_SECONDS = 15;

    @Mixin
    ServerOptions options;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ServerConfig config = options.resolve(parent.environment().env()).config();
        ArqonBus bus = ArqonBus.builder().config(config).build();
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        try (StopSignal.Registration registration = parent.environment().stopSignal()
                .register(() -> stopRequested.complete(null), () -> stopQuietly(bus, config))) {
            try {
                bus.start().join();
            } catch (CompletionException e) {
                bus.stop();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof io.arqonbus.server.config.ConfigException invalid) {
                    throw invalid; // e.g. a JWT key that does not fit the algorithm: exit 2
                }
                log.atError()
                        .addKeyValue("event", "start_failed")
                        .addKeyValue("error", String.valueOf(cause.getMessage()))
                        .log("start_failed");
                throw new CliException(ExitCodes.FAILURE, "could not start: " + cause.getMessage(), cause);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(banner(bus));
            out.flush();
            stopRequested.join();
            stop(bus, config);
        }
        return ExitCodes.OK;
    }

    /** {@code ArqonBus <version> ready: bus=ws://… telemetry=ws://… http=http://…}. */
    static String banner(ArqonBus bus) {
        return "ArqonBus " + bus.info().version() + " ready: bus=" + url("ws", bus.busAddress())
                + " telemetry=" + url("ws", bus.telemetryAddress())
                + " http=" + url("http", bus.httpAddress());
    }

    private static String url(String scheme, InetSocketAddress address) {
        if (address == null) {
            return "off";
        }
        String host = address.getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + ":" + address.getPort();
    }

    private static void stop(ArqonBus bus, ServerConfig config) {
        try {
            bus.stop().get(config.timeouts().shutdownGrace().toSeconds() + STOP_SLACK_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "interrupted while stopping");
        } catch (ExecutionException | TimeoutException e) {
            throw new CliException(ExitCodes.FAILURE, "could not stop cleanly: " + e, e);
        }
    }

    private static void stopQuietly(ArqonBus bus, ServerConfig config) {
        try {
            stop(bus, config);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "stop_failed")
                    .addKeyValue("error", e.getMessage())
                    .log("stop_failed");
        }
    }
}
