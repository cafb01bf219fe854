package io.arqonbus.bench;

import io.arqonbus.bench.net.Loopback;
import io.arqonbus.bench.workload.SoakPlan;
import io.arqonbus.bench.workload.SoakWorkload;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench soak}: many connections with steady mixed traffic for a long time, sampled at a fixed interval. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"--connections held for --warmup + --duration seconds with steady mixed traffic: a fan-out",
                "channel, many small channels, durable publishes with acks (their channels have subscribers),",
                "command clients (join_channel, presence, history, leave_channel, ping on a cycle) and idle",
                "connections. Every --sample-seconds: a line in <out>/soak.csv with the server's RSS, heap after",
                "a full GC (jcmd, needs --server-pid; every --heap-every samples), Netty direct memory (--metrics-url), open descriptors and",
                "CPU, and the traffic's rates, p50/p99, lost, duplicates and errors. At the end <out>/soak.png,",
                "the server's class histograms at the end of the warm-up and at the end, and the JSON line",
                "with the drift (docs/reliability.md, \"Soak\").",
                "  bench soak --connections 10000 --warmup 600 --duration 3000 --server-pid <pid> --out soak-run"})
final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--connections", defaultValue = "10000", description = "Connections held in all; those not needed below stay idle (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--fan-out-subscribers", defaultValue = "2000", description = "Subscribers of the fan-out channel (default: ${DEFAULT-VALUE}).")
    int fanOutSubscribers;

    @Option(names = "--fan-out-rate", defaultValue = "1", description = "Fan-out publications per second (default: ${DEFAULT-VALUE}).")
    double fanOutRate;

    @Option(names = "--channels", defaultValue = "500", description = "Many-channels: channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--subscribers-per-channel", defaultValue = "10", description = "Many-channels: subscribers of each (default: ${DEFAULT-VALUE}).")
    int subscribersPerChannel;

    @Option(names = "--publishers", defaultValue = "50", description = "Many-channels: publishers, publisher p to channel p mod channels (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--rate", defaultValue = "100", description = "Many-channels: publications per second over all publishers (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--durable-channels", defaultValue = "50", description = "Channels with one durable publisher each (default: ${DEFAULT-VALUE}).")
    int durableChannels;

    @Option(names = "--subscribers-per-durable-channel", defaultValue = "10", description = "Subscribers of each durable channel (default: ${DEFAULT-VALUE}).")
    int subscribersPerDurableChannel;

    @Option(names = "--durable-rate", defaultValue = "20", description = "Durable publications per second over all durable publishers (default: ${DEFAULT-VALUE}).")
    double durableRate;

    @Option(names = "--command-clients", defaultValue = "1000", description = "Connections sending commands (default: ${DEFAULT-VALUE}).")
    int commandClients;

    @Option(names = "--command-interval", defaultValue = "10", description = "Seconds between two commands of one command client (default: ${DEFAULT-VALUE}).")
    double commandInterval;

    @Option(names = "--sample-seconds", defaultValue = "60", description = "Seconds between two samples (default: ${DEFAULT-VALUE}).")
    double sampleSeconds;

    @Option(names = "--heap-every", defaultValue = "5", description = {"Read the heap after a full GC every this many samples and at the last one",
            "(jcmd GC.run pauses the server for the collection; default: ${DEFAULT-VALUE})."})
    int heapEvery;

    @Option(names = "--metrics-url", description = "The server's /metrics on its HTTP port, loopback only, e.g. http://127.0.0.1:8080/metrics (direct memory); none: the columns are -1.")
    URI metricsUrl;

    @Option(names = "--out", defaultValue = "soak-results", description = "Directory for soak.csv, soak.png and the class histograms (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        return WorkloadRunner.execute(spec, common, settings -> {
            CommonOptions.check(connections >= 1 && connections <= 1_000_000, "--connections must be 1..1000000");
            CommonOptions.check(fanOutSubscribers >= 1 && subscribersPerChannel >= 1 && subscribersPerDurableChannel >= 1,
                    "every subscriber count must be >= 1");
            CommonOptions.check(channels >= 1 && publishers >= 1 && durableChannels >= 1 && commandClients >= 0,
                    "--channels, --publishers and --durable-channels must be >= 1, --command-clients >= 0");
            CommonOptions.check(fanOutRate > 0 && rate > 0 && durableRate > 0 && rate <= 1_000_000
                    && fanOutRate <= 100_000 && durableRate <= 100_000, "every rate must be > 0 (and moderate)");
            CommonOptions.check(commandInterval >= 0.01 && commandInterval <= 3600, "--command-interval must be 0.01..3600");
            CommonOptions.check(sampleSeconds >= 0.5 && sampleSeconds <= 3600, "--sample-seconds must be 0.5..3600");
            CommonOptions.check(heapEvery >= 1 && heapEvery <= 10_000, "--heap-every must be 1..10000");
            CommonOptions.check(metricsUrl == null || "http".equals(metricsUrl.getScheme()) && metricsUrl.getHost() != null
                    && Loopback.isLoopback(metricsUrl.getHost()), "--metrics-url must be http:// on a loopback address");
            SoakPlan plan = new SoakPlan(connections, fanOutSubscribers, fanOutRate, channels, subscribersPerChannel,
                    publishers, rate, durableChannels, subscribersPerDurableChannel, durableRate, commandClients,
                    CommonOptions.seconds(commandInterval), CommonOptions.seconds(sampleSeconds), heapEvery, metricsUrl, out);
            CommonOptions.check(plan.idle() >= 0, "--connections (" + connections + ") is smaller than the "
                    + (connections - plan.idle()) + " connections the parts need");
            return new SoakWorkload(plan).run(settings);
        });
    }
}
