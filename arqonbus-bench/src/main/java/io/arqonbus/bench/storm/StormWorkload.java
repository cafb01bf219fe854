package io.arqonbus.bench.storm;

import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import io.arqonbus.bench.workload.BenchException;
import io.arqonbus.client.ReconnectPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The reconnect storm: N clients (with a JWT each when a secret is given), client i a member of
 * channel i mod C, each with a recorded position; one durable publication per channel (or more)
 * moves every position past 0 so the streams exist in the store. Then the server goes away —
 * killed by this tool ({@code --kill-pid}), restarted by a command ({@code --restart-command}),
 * or by someone else — and every client reconnects with the SDKs' full-jitter backoff,
 * authenticates and rejoins with {@code recover}. Reported: the time from the first drop until
 * 99 % and 100 % of the clients are back (welcomed) and recovered ({@code recovered: true}),
 * refusals by HTTP status and close code, and the restarted server's CPU.
 *
 * <p>Every phase is bounded: set-up by {@code --setup-timeout}, the drop by
 * {@code --wait-for-drop}, the storm by {@code --storm-timeout}.
 */
public final class StormWorkload {
    private static final String ROOM = "bench";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** With several servers: the drop is over when no client lost its connection for this long. */
    private static final long SETTLE_NANOS = 2 * SECOND;

    /** The storm's shape and how the server goes away. */
    public record Plan(int clients, int channels, String jwtSecret, Duration tokenLifetime, int publishPerChannel,
            int publishAfterRestart, Long killPid, boolean sigterm, String restartCommand, Duration waitForDrop, Duration stormTimeout,
            ReconnectPolicy policy, long fdLimit) {
    }

    private final Plan plan;

    public StormWorkload(Plan plan) {
        this.plan = plan;
    }

    /** Runs it; returns the result (the JSON object and the human summary). */
    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        IntFunction<String> tokens = tokens(run);
        List<String> channelNames = new ArrayList<>(plan.channels());
        for (int c = 0; c < plan.channels(); c++) {
            channelNames.add("s" + run + "-" + c);
        }
        try (StormContext context = new StormContext(settings.threads(), settings.uris(), settings.sources(), tokens,
                plan.policy(), ROOM, run)) {
            List<StormClient> clients = new ArrayList<>(plan.clients());
            try {
                return measure(settings, context, channelNames, clients);
            } finally {
                context.stop();
                clients.forEach(StormClient::close);
            }
        }
    }

    private IntFunction<String> tokens(String run) {
        if (plan.jwtSecret() == null) {
            return null;
        }
        Hs256Tokens signer = new Hs256Tokens(plan.jwtSecret(), "storm-" + run + "-", plan.tokenLifetime());
        String[] all = new String[plan.clients() + 1];
        for (int i = 0; i < all.length; i++) {
            all[i] = signer.token(i);
        }
        return i -> all[i];
    }

    private Report measure(RunSettings settings, StormContext context, List<String> channelNames,
            List<StormClient> clients) throws BenchException, InterruptedException {
        long setupStart = System.nanoTime();
        long deadline = setupStart + settings.setupTimeout().toNanos();
        connectAll(settings, context, channelNames, clients, deadline);
        long positionsBehind = publishAndAwaitPositions(clients, deadline);
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        progress(settings, String.format("event=storm_ready clients=%d channels=%d setup_s=%.1f", clients.size(),
                plan.channels(), setupSeconds));

        context.arm();
        goAway(settings);
        List<CompletableFuture<Long>> late = new ArrayList<>();
        for (int c = 0; c < plan.channels(); c++) {
            late.add(null);
        }
        List<StormClient> dropped = awaitDrop(settings, clients, late);
        if (dropped.isEmpty()) {
            throw new BenchException("the server did not go away within " + plan.waitForDrop().toSeconds()
                    + " s (no client lost its connection); restart it, or give --kill-pid / --restart-command");
        }
        long t0 = context.firstDrop();
        ServerWatch server = new ServerWatch(settings);
        storm(settings, context, clients, dropped, t0, server, late);
        long behindAfter = awaitPositionsAfter(context, clients, late);
        return StormReport.of(plan, settings, context, clients, dropped, t0, setupSeconds, positionsBehind, behindAfter,
                server);
    }

    private void connectAll(RunSettings settings, StormContext context, List<String> channelNames,
            List<StormClient> clients, long deadline) throws BenchException, InterruptedException {
        Semaphore permits = new Semaphore(settings.connectConcurrency());
        for (int i = 0; i < plan.clients(); i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            // channel i mod C; the members of each channel spread over the servers: server (i / C) mod n
            StormClient client = new StormClient(i, channelNames.get(i % plan.channels()),
                    (i / plan.channels()) % settings.uris().size(), context);
            client.joined().whenComplete((ok, error) -> permits.release());
            clients.add(client);
            client.start();
        }
        int failed = plan.clients() - clients.size();
        String first = failed > 0 ? "the set-up deadline passed before all clients were started" : null;
        for (StormClient client : clients) {
            try {
                client.joined().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? String.valueOf(e.getCause().getMessage()) : first;
            } catch (TimeoutException e) {
                failed++;
                first = first == null ? "set-up timed out" : first;
            }
        }
        if (failed > 0) {
            throw new BenchException(failed + " of " + plan.clients() + " clients could not connect and join: " + first);
        }
        progress(settings, String.format("[reconnect-storm] %d clients connected and joined %d channels",
                clients.size(), plan.channels()));
    }

    /**
     * Client c (a member of channel c) publishes to its channel with durable acks; then every
     * client's position must reach its channel's last acked offset. Returns the clients whose
     * position did not.
     */
    private long publishAndAwaitPositions(List<StormClient> clients, long deadline)
            throws BenchException, InterruptedException {
        if (plan.publishPerChannel() == 0) {
            return 0;
        }
        long[] last = new long[plan.channels()];
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int c = 0; c < plan.channels(); c++) {
            acks.add(clients.get(c).publish(plan.publishPerChannel()));
        }
        for (int c = 0; c < plan.channels(); c++) {
            try {
                last[c] = acks.get(c).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new BenchException("the durable publications before the storm were not acked: "
                        + (e instanceof ExecutionException ? e.getCause().getMessage() : "timed out"));
            }
        }
        long behind = clients.size();
        long positionsDeadline = Math.min(deadline, System.nanoTime() + 30 * SECOND);
        while (System.nanoTime() < positionsDeadline) {
            behind = clients.stream().filter(s -> s.offset() < last[s.index() % plan.channels()]).count();
            if (behind == 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return behind;
    }

    private void goAway(RunSettings settings) throws BenchException, InterruptedException {
        if (plan.killPid() != null) {
            ProcessHandle server = ProcessHandle.of(plan.killPid()).orElseThrow(
                    () -> new BenchException("--kill-pid " + plan.killPid() + ": no such process"));
            boolean sent = plan.sigterm() ? server.destroy() : server.destroyForcibly();
            if (!sent) {
                throw new BenchException("--kill-pid " + plan.killPid() + ": could not signal it");
            }
            progress(settings, "event=storm_kill pid=" + plan.killPid() + " signal=" + (plan.sigterm() ? "TERM" : "KILL"));
            try {
                server.onExit().get(plan.waitForDrop().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new BenchException("--kill-pid " + plan.killPid() + " did not exit within "
                        + plan.waitForDrop().toSeconds() + " s");
            }
        }
        if (plan.restartCommand() != null) {
            try {
                new ProcessBuilder("sh", "-c", plan.restartCommand())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new BenchException("--restart-command could not be started: " + e.getMessage());
            }
            progress(settings, "event=storm_restart command_started");
        }
    }

    /**
     * Waits until every client lost its connection — or, with several servers (one node of a
     * cluster going away), until no more clients have lost theirs for {@link #SETTLE_NANOS} — and
     * returns those that did.
     */
    private List<StormClient> awaitDrop(RunSettings settings, List<StormClient> clients,
            List<CompletableFuture<Long>> late) {
        long deadline = System.nanoTime() + plan.waitForDrop().toNanos();
        long nextLine = System.nanoTime() + SECOND;
        int dropped = 0;
        int lastCount = 0;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            dropped = (int) clients.stream().filter(c -> c.droppedAt() != 0).count();
            if (dropped == clients.size()) {
                break;
            }
            if (dropped > 0) {
                publishLate(clients, late);
            }
            if (dropped != lastCount) {
                lastCount = dropped;
                lastChange = System.nanoTime();
            } else if (dropped > 0 && settings.severalServers() && System.nanoTime() - lastChange >= SETTLE_NANOS) {
                break;
            }
            if (System.nanoTime() >= nextLine) {
                progress(settings, String.format("[reconnect-storm] waiting for the server to go away: dropped=%d/%d",
                        dropped, clients.size()));
                nextLine = System.nanoTime() + SECOND;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(dropped == 0 ? 20 : 2));
        }
        return clients.stream().filter(c -> c.droppedAt() != 0).toList();
    }


    /**
     * With {@code --publish-after-restart}: the first client of each channel publishes as soon as
     * it is welcomed again (its rejoin is already on the way, so the server handles that first) or,
     * when it never lost its connection (another node of a cluster went away), at once. Clients
     * of the channel that rejoin later must recover those publications; the others get them live.
     * {@code late} holds each channel's last ack once its publications are sent.
     */
    private void publishLate(List<StormClient> all, List<CompletableFuture<Long>> late) {
        if (plan.publishAfterRestart() == 0) {
            return;
        }
        for (int c = 0; c < plan.channels(); c++) {
            StormClient publisher = all.get(c);
            boolean ready = publisher.droppedAt() != 0 ? publisher.backAt() != 0 && publisher.open() : publisher.open();
            CompletableFuture<Long> sent = late.get(c);
            if ((sent == null || sent.isCompletedExceptionally()) && ready) {
                late.set(c, publisher.publish(plan.publishAfterRestart()));
            }
        }
    }

    /** Waits until every client that lost its connection is recovered (or the storm timeout), publishing late. */
    private void storm(RunSettings settings, StormContext context, List<StormClient> all, List<StormClient> clients,
            long t0, ServerWatch server, List<CompletableFuture<Long>> late) {
        long deadline = t0 + plan.stormTimeout().toNanos();
        long nextLine = System.nanoTime() + SECOND;
        long nextLook = 0;
        while (System.nanoTime() < deadline) {
            publishLate(all, late);
            long back = clients.stream().filter(c -> c.backAt() != 0).count();
            long recovered = clients.stream().filter(c -> c.recoveredAt() != 0).count();
            if (back > 0 && System.nanoTime() >= nextLook) {
                server.look();
                nextLook = System.nanoTime() + SECOND / 2;
            }
            if (recovered == clients.size()) {
                break;
            }
            if (System.nanoTime() >= nextLine) {
                StormTally tally = context.tally();
                progress(settings, String.format("[reconnect-storm] %4.1fs back=%d recovered=%d attempts=%d "
                        + "connect_refused=%d refused=%d", (System.nanoTime() - t0) / 1e9, back, recovered,
                        tally.attempts.sum(), tally.connectRefused.sum(), tally.refusedOtherThan1013()));
                nextLine = System.nanoTime() + SECOND;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        publishLate(all, late);
        server.end();
    }

    /**
     * After the storm: waits (at most 30 s) for every channel's late publications to be acked and
     * to reach every client of the channel; returns the clients whose position stayed behind
     * (every client, when a channel's publications were not acked).
     */
    private long awaitPositionsAfter(StormContext context, List<StormClient> clients,
            List<CompletableFuture<Long>> late) throws InterruptedException {
        if (plan.publishAfterRestart() == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + 30 * SECOND;
        long[] last = new long[plan.channels()];
        for (int c = 0; c < plan.channels(); c++) {
            if (late.get(c) == null) {
                context.tally().example("late_publish", "channel " + c + ": its first client was never back to publish");
                return clients.size();
            }
            try {
                last[c] = late.get(c).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                context.tally().example("late_publish", "channel " + c + ": "
                        + (e instanceof ExecutionException ? e.getCause().getMessage() : "no ack within 30 s"));
                return clients.size();
            }
        }
        long behind = clients.size();
        while (System.nanoTime() < deadline) {
            behind = clients.stream().filter(s -> s.offset() < last[s.index() % plan.channels()]).count();
            if (behind == 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return behind;
    }


    private static void progress(RunSettings settings, String line) {
        if (settings.progress() != null) {
            settings.progress().println(line);
            settings.progress().flush();
        }
    }

}
