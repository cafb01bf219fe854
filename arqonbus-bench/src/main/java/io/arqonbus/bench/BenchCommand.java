package io.arqonbus.bench;

import io.arqonbus.bench.floor.FloorCommand;
import io.arqonbus.bench.workload.ConnectionsWorkload;
import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.workload.DurableWorkload;
import io.arqonbus.bench.workload.JetStreamDurableWorkload;
import io.arqonbus.bench.workload.HttpPublishWorkload;
import io.arqonbus.bench.workload.PubSubWorkload;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arqon bench}: the load generator and the floor server. Every workload prints one JSON
 * line on stdout and a human summary on stderr (field meanings in docs/benchmarks.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        subcommands = {BenchCommand.FanOut.class, BenchCommand.ManyChannels.class, BenchCommand.Connections.class,
                BenchCommand.Durable.class, BenchCommand.HttpPublish.class, ReconnectStormCommand.class, SoakCommand.class,
                FloorCommand.class},
        description = {
                "Load generator and floor server for ArqonBus (loopback only). Workloads:",
                "",
                "  fan-out        1 channel x S subscribers, 1 publisher, at --rate msgs/s or as fast as",
                "                 --window (messages not yet delivered to all subscribers) allows.",
                "                   bench fan-out --subscribers 1000 --port 9100 --server-pid <pid>",
                "  many-channels  C channels x K subscribers, P publishers (publisher p -> channel p mod C).",
                "                   bench many-channels --channels 100 --subscribers-per-channel 10 --publishers 100",
                "  connections    N idle connections held for --hold seconds: connect rate, failures, drops,",
                "                 server RSS per connection.",
                "                   bench connections --connections 19000 --source-addresses 4 --hold 60",
                "  durable        P publishers x C channels publishing with \"ack\":\"durable\", at most --window",
                "                 unacked messages each: acks/s, publish->ack latency, storage errors;",
                "                 --verify checks every acked message is in the history exactly once, in order.",
                "                   bench durable --publishers 4 --window 64 --duration 10 --verify",
                "  http-publish   POST /api/publish over HTTP/1.1 keep-alive, --connections requests in flight,",
                "                 at most --count messages; a WebSocket subscriber counts lost and duplicates.",
                "                   bench http-publish --http-url http://127.0.0.1:8080 --connections 32 --count 200000",
                "  reconnect-storm  N clients (JWT auth) on C channels with positions; the server is killed or",
                "                 restarted; all reconnect with jittered backoff and rejoin with recover: time",
                "                 until 99 % / 100 % are back and recovered, refusals by status and close code.",
                "                   bench reconnect-storm --clients 19000 --jwt-secret S --kill-pid <pid> --restart-command CMD",
                "  soak           --connections held with steady mixed traffic (fan-out, many channels, durable",
                "                 publishes with acks, commands, presence) for --warmup + --duration seconds;",
                "                 a CSV line per --sample-seconds (server memory, fds, CPU, p99, loss) and a PNG.",
                "                   bench soak --connections 10000 --warmup 600 --duration 3000 --server-pid <pid>",
                "  floor          run the floor server (the smallest Netty WebSocket broadcast server).",
                "                   bench floor --port 9200 --io-threads 1",
                "",
                "Dialects (--dialect): arqonbus (default), floor, floor-path (bench floor --mode path),",
                "socketio (bench/socketio/server.js), nats (core NATS: fan-out, many-channels; --port 4222),",
                "jetstream (NATS JetStream: durable; nats-server -js). Several servers (a cluster): --urls URL,URL,... and",
                "--server-pids PID,PID,... (fan-out and many-channels).",
                "Output: one JSON line on stdout, progress and a summary on stderr; --json-out FILE also",
                "writes the line to a file. Exit codes: 0 ok, 1 loss/duplicates/drops/failures/errors,",
                "2 bad usage, 3 set-up failed (connect/join).",
                ""})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Standalone entry point (the CLI registers this class as {@code arqon bench}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Command(name = "fan-out", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"1 channel x S subscribers, 1 publisher: deliveries/s, deliveries per server CPU-second,",
                    "loss, duplicates and publish->receive latency."})
    static final class FanOut implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--subscribers", defaultValue = "100", description = "Subscribers S (default: ${DEFAULT-VALUE}).")
        int subscribers;

        @Option(names = "--rate", defaultValue = "0", description = "Messages per second; 0 = as fast as --window allows (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--window", defaultValue = "128", description = "Messages in flight (not yet delivered to all subscribers) at most, when --rate is 0 (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--stuck-readers", defaultValue = "0", description = {"Also this many subscribers that stop reading once joined (slow consumers "
                + "that stay stuck; not counted as loss); reports how many the server disconnected and its RSS at the "
                + "warm-up's end and at the end (default: ${DEFAULT-VALUE})."})
        int stuckReaders;

        @Override
        public Integer call() {
            return WorkloadRunner.execute(spec, common, settings -> {
                checkPubSub(1, subscribers, 1, rate, window);
                CommonOptions.check(stuckReaders >= 0 && stuckReaders <= 10_000, "--stuck-readers must be 0..10000");
                return new PubSubWorkload("fan-out", 1, subscribers, 1, rate, window).withStuckReaders(stuckReaders)
                        .run(settings);
            });
        }
    }

    @Command(name = "many-channels", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"C channels x K subscribers each, P publishers; publisher p publishes to channel p mod C."})
    static final class ManyChannels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--channels", defaultValue = "100", description = "Channels C (default: ${DEFAULT-VALUE}).")
        int channels;

        @Option(names = "--subscribers-per-channel", defaultValue = "10", description = "Subscribers K per channel (default: ${DEFAULT-VALUE}).")
        int subscribersPerChannel;

        @Option(names = "--publishers", description = "Publishers P (default: one per channel).")
        Integer publishers;

        @Option(names = "--rate", defaultValue = "0", description = "Total messages per second over all publishers; 0 = as fast as --window allows (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--window", defaultValue = "32", description = "Messages in flight per publisher at most, when --rate is 0 (default: ${DEFAULT-VALUE}).")
        int window;

        @Override
        public Integer call() {
            int p = publishers == null ? channels : publishers;
            return WorkloadRunner.execute(spec, common, settings -> {
                checkPubSub(channels, subscribersPerChannel, p, rate, window);
                return new PubSubWorkload("many-channels", channels, subscribersPerChannel, p, rate, window).run(settings);
            });
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"N idle connections held for --hold seconds: connect rate, failures, drops during the hold,",
                    "server RSS per connection = (RSS after - RSS before) / N (needs --server-pid).",
                    "Past ~28,000 connections use --source-addresses to get more ephemeral ports."})
    static final class Connections implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--connections", defaultValue = "1000", description = "Connections N (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--hold", defaultValue = "10", description = "Seconds to hold them (default: ${DEFAULT-VALUE}).")
        double hold;

        @Option(names = "--heap", description = {"Also measure the server's live heap per connection: runs a full GC in",
                "the server before and after (jcmd GC.run, GC.heap_info; needs --server-pid of a JVM)."})
        boolean heap;

        @Override
        public Integer call() {
            return WorkloadRunner.execute(spec, common, settings -> {
                CommonOptions.oneServer(settings, "connections");
                CommonOptions.check(connections >= 1 && connections <= 1_000_000, "--connections must be 1..1000000");
                CommonOptions.check(hold >= 0 && hold <= CommonOptions.MAX_SECONDS, "--hold must be 0..3600 seconds");
                return new ConnectionsWorkload(connections, CommonOptions.seconds(hold), heap).run(settings);
            });
        }
    }

    @Command(name = "durable", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Acknowledged publishes (\"ack\":\"durable\", protocol §12): P publishers to",
                    "C channels (publisher p -> channel p mod C), each with at most --window",
                    "messages waiting for their ack. Reports acks/s, publish->ack latency,",
                    "STORAGE_UNAVAILABLE errors and duplicate acks. --verify then reads every",
                    "channel's history by offset and checks that each acked message is there",
                    "exactly once, at its acked offset, in publication order. The server's store",
                    "is what is measured (memory by default; docs/benchmarks.md shows how to run",
                    "the disk and Redis stores). --dialect jetstream runs the same workload against",
                    "NATS JetStream (nats-server -js): one file-storage stream over the run's",
                    "subjects, publishAsync with at most --window unacked per publisher; --verify",
                    "reads the stream back."})
    static final class Durable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--publishers", defaultValue = "1", description = "Publishers P (default: ${DEFAULT-VALUE}).")
        int publishers;

        @Option(names = "--channels", defaultValue = "1", description = "Channels C (default: ${DEFAULT-VALUE}).")
        int channels;

        @Option(names = "--window", defaultValue = "64", description = "Messages waiting for their ack per publisher at most (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--idempotency-keys", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Give each message its id as metadata.idempotency_key (default: on; --no-idempotency-keys: off).")
        boolean idempotencyKeys;

        @Option(names = "--verify", description = "At the end, read every channel's history (history since=<offset>, "
                + "1000 per request) and check the acks against it. The server must keep every message of the run "
                + "(--max-history-size).")
        boolean verify;

        @Override
        public Integer call() {
            return WorkloadRunner.execute(spec, common, settings -> {
                CommonOptions.oneServer(settings, "durable");
                CommonOptions.check(publishers >= 1 && publishers <= 10_000, "--publishers must be 1..10000");
                CommonOptions.check(channels >= 1 && channels <= publishers, "--channels must be 1..publishers");
                CommonOptions.check(window >= 1 && window <= 100_000, "--window must be 1..100000");
                if (settings.dialect() == Dialect.JETSTREAM) {
                    return new JetStreamDurableWorkload(channels, publishers, window, verify).run(settings);
                }
                return new DurableWorkload(channels, publishers, window, idempotencyKeys, verify).run(settings);
            });
        }
    }

    @Command(name = "http-publish", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"POST /api/publish (docs/http-api.md) over HTTP/1.1 keep-alive: --connections requests in",
                    "flight, each connection in a closed loop, at most --count messages within the warm-up plus",
                    "--duration. Reports publishes/s, request latency, failures, and — from one WebSocket",
                    "subscriber of bench:http (--url/--port) — lost and duplicate publications."})
    static final class HttpPublish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--http-url", defaultValue = "http://127.0.0.1:8080",
                description = "The server's HTTP port, loopback only (default: ${DEFAULT-VALUE}).")
        java.net.URI httpUrl;

        @Option(names = "--api-key", description = "API key with scope publish; none when the server has no keys and auth off.")
        String apiKey;

        @Option(names = "--connections", defaultValue = "32", description = "Requests in flight, one keep-alive connection each (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--count", defaultValue = "1000000", description = "Messages at most (default: ${DEFAULT-VALUE}).")
        int count;

        @Override
        public Integer call() {
            return WorkloadRunner.execute(spec, common, settings -> {
                CommonOptions.oneServer(settings, "http-publish");
                CommonOptions.check(connections >= 1 && connections <= 10_000, "--connections must be 1..10000");
                CommonOptions.check(count >= 1, "--count must be >= 1");
                CommonOptions.check("http".equals(httpUrl.getScheme()) && httpUrl.getHost() != null
                        && io.arqonbus.bench.net.Loopback.isLoopback(httpUrl.getHost()),
                        "--http-url must be http:// on a loopback address");
                return new HttpPublishWorkload(httpUrl, apiKey, connections, count).run(settings);
            });
        }
    }

    static void checkPubSub(int channels, int subscribers, int publishers, double rate, int window) {
        CommonOptions.check(channels >= 1 && channels <= 100_000, "--channels must be 1..100000");
        CommonOptions.check(subscribers >= 1 && subscribers <= 1_000_000, "subscribers must be 1..1000000");
        CommonOptions.check(publishers >= 1 && publishers <= 100_000, "--publishers must be 1..100000");
        CommonOptions.check(rate >= 0 && rate <= 10_000_000, "--rate must be 0..10000000 messages per second");
        CommonOptions.check(rate > 0 || window >= 1 && window <= 1_000_000, "--window must be 1..1000000");
    }
}
