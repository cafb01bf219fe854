package io.arqonbus.bench;

import io.arqonbus.bench.storm.FdLimit;
import io.arqonbus.bench.storm.StormWorkload;
import io.arqonbus.client.ReconnectPolicy;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench reconnect-storm}: every client reconnects at once after the server went away. */
@Command(name = "reconnect-storm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N clients (a JWT each with --jwt-secret), client i a member of channel i mod C with a",
                "recorded position (one durable publication per channel moves it past 0). Then the server goes",
                "away: --kill-pid (SIGKILL, or SIGTERM with --sigterm), then --restart-command (run with sh -c,",
                "not waited for), or by someone else within --wait-for-drop. Every client reconnects with",
                "full-jitter exponential backoff (the SDKs' defaults), authenticates and rejoins with recover.",
                "Reports the time from the first drop until 99 %% and 100 %% are back (welcomed) and recovered",
                "(recovered:true), refused handshakes by HTTP status and close code (1013 is retried and",
                "allowed), errors, and the CPU of the process that listens on the port afterwards.",
                "Progress prints event=storm_ready once every client is joined and positioned.",
                "With several URLs (a cluster), client i starts on URL i mod n and each new attempt goes to",
                "the next URL; the storm is the clients that lost their connection (one node going away)."})
final class ReconnectStormCommand implements Callable<Integer> {
    private static final int DEFAULT_CLIENTS = 19_000;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--clients", description = "Clients N (default: 19000, or fewer when the open-files limit does not allow it).")
    Integer clients;

    @Option(names = "--channels", defaultValue = "100", description = "Channels C (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--jwt-secret", description = "HS256 secret the server verifies tokens with (ARQONBUS_AUTH_JWT_SECRET, at least 32 bytes); none = no token.")
    String jwtSecret;

    @Option(names = "--token-ttl", defaultValue = "3600", description = "Seconds each token is valid (default: ${DEFAULT-VALUE}).")
    long tokenTtl;

    @Option(names = "--publish-per-channel", defaultValue = "1", description = "Durable publications per channel before the storm (default: ${DEFAULT-VALUE}).")
    int publishPerChannel;

    @Option(names = "--publish-after-restart", defaultValue = "1", description = {"Durable publications per channel made "
            + "during the storm, by the channel's first client as soon as it is back (default: ${DEFAULT-VALUE});",
            "clients that rejoin later must recover them, the others get them live."})
    int publishAfterRestart;

    @Option(names = "--kill-pid", description = "Kill this process (the server) once every client is joined.")
    Long killPid;

    @Option(names = "--sigterm", description = "Stop --kill-pid with SIGTERM (a drain: 1001 closes) instead of SIGKILL.")
    boolean sigterm;

    @Option(names = "--restart-command", description = "Shell command that brings the server back (started after the kill; its output is discarded).")
    String restartCommand;

    @Option(names = "--wait-for-drop", defaultValue = "300", description = "Seconds to wait for the server to go away (default: ${DEFAULT-VALUE}).")
    double waitForDrop;

    @Option(names = "--storm-timeout", defaultValue = "120", description = "Seconds from the first drop allowed for every client to be back and recovered (default: ${DEFAULT-VALUE}).")
    double stormTimeout;

    @Option(names = "--backoff-initial-ms", defaultValue = "" + ReconnectPolicy.DEFAULT_INITIAL_MILLIS,
            description = "First backoff ceiling, doubled per failed attempt (default: ${DEFAULT-VALUE}, the SDKs').")
    long backoffInitialMs;

    @Option(names = "--backoff-max-ms", defaultValue = "" + ReconnectPolicy.DEFAULT_MAX_MILLIS,
            description = "Largest backoff ceiling (default: ${DEFAULT-VALUE}, the SDKs').")
    long backoffMaxMs;

    @Override
    public Integer call() {
        return WorkloadRunner.execute(spec, common, settings -> {
            CommonOptions.check(settings.dialect() == io.arqonbus.bench.load.Dialect.ARQONBUS,
                    "reconnect-storm needs --dialect arqonbus (recovery is an ArqonBus feature)");
            long fdLimit = FdLimit.soft();
            int n = FdLimit.clients(clients, DEFAULT_CLIENTS, fdLimit);
            CommonOptions.check(n >= 1 && n <= 1_000_000, "--clients must be 1..1000000");
            CommonOptions.check(channels >= 1 && channels <= n, "--channels must be 1..clients");
            CommonOptions.check(publishPerChannel >= 0 && publishPerChannel <= 1000, "--publish-per-channel must be 0..1000");
            CommonOptions.check(publishAfterRestart >= 0 && publishAfterRestart <= 1000, "--publish-after-restart must be 0..1000");
            CommonOptions.check(tokenTtl >= 60, "--token-ttl must be at least 60 seconds");
            CommonOptions.check(waitForDrop > 0 && waitForDrop <= CommonOptions.MAX_SECONDS, "--wait-for-drop must be > 0 and at most 3600");
            CommonOptions.check(stormTimeout > 0 && stormTimeout <= CommonOptions.MAX_SECONDS, "--storm-timeout must be > 0 and at most 3600");
            CommonOptions.check(backoffInitialMs >= 0 && backoffMaxMs >= backoffInitialMs && backoffMaxMs <= 600_000,
                    "--backoff-initial-ms and --backoff-max-ms must be 0 <= initial <= max <= 600000");
            CommonOptions.check(killPid == null || killPid > 1 && killPid != ProcessHandle.current().pid(),
                    "--kill-pid must name another process");
            CommonOptions.check(!sigterm || killPid != null, "--sigterm needs --kill-pid");
            ReconnectPolicy policy = ReconnectPolicy.exponential(Duration.ofMillis(backoffInitialMs),
                    Duration.ofMillis(backoffMaxMs));
            return new StormWorkload(new StormWorkload.Plan(n, channels, jwtSecret, Duration.ofSeconds(tokenTtl),
                    publishPerChannel, publishAfterRestart, killPid, sigterm, restartCommand, CommonOptions.seconds(waitForDrop),
                    CommonOptions.seconds(stormTimeout), policy, fdLimit)).run(settings);
        });
    }
}
