package io.arqonbus.bench.workload;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shape of a soak run: how the {@code connections} are split and how much traffic each part
 * makes. Publisher indexes (in the payloads' {@code bp}): 0 = the fan-out publisher, 1 … P the
 * many-channels publishers, P+1 … P+D the durable publishers (one per durable channel).
 *
 * @param connections                  connections held in all (the rest after the parts below stay idle)
 * @param fanOutSubscribers            subscribers of the one fan-out channel
 * @param fanOutRate                   fan-out publications per second
 * @param channels                     many-channels: channels
 * @param subscribersPerChannel        many-channels: subscribers of each
 * @param publishers                   many-channels: publishers (publisher p → channel p mod channels)
 * @param rate                         many-channels: publications per second over all publishers
 * @param durableChannels              channels with one durable publisher each ({@code "ack":"durable"})
 * @param subscribersPerDurableChannel subscribers of each durable channel
 * @param durableRate                  durable publications per second over all durable publishers
 * @param commandClients               connections sending commands (join, presence, history, leave, ping)
 * @param commandInterval              time between two commands of one command client
 * @param sampleInterval               time between two samples (CSV lines)
 * @param heapEvery                    the heap after a full GC is read every this many samples (and at the
 *                                     last one); the other lines say -1 (a forced full GC pauses the server)
 * @param metricsUrl                   the server's {@code /metrics} (direct memory), or {@code null}
 * @param out                          the directory for soak.csv, soak.png and the class histograms
 */
public record SoakPlan(int connections, int fanOutSubscribers, double fanOutRate, int channels,
        int subscribersPerChannel, int publishers, double rate, int durableChannels,
        int subscribersPerDurableChannel, double durableRate, int commandClients, Duration commandInterval,
        Duration sampleInterval, int heapEvery, URI metricsUrl, Path out) {

    /** Subscriber connections. */
    public int subscribers() {
        return fanOutSubscribers + channels * subscribersPerChannel + durableChannels * subscribersPerDurableChannel;
    }

    /** Publisher indexes: the fan-out one, the many-channels ones, the durable ones. */
    public int publisherIndexes() {
        return 1 + publishers + durableChannels;
    }

    /** Connections that only stay open. */
    public int idle() {
        return connections - subscribers() - publisherIndexes() - commandClients;
    }

    /** The first durable publisher's index. */
    int firstDurable() {
        return 1 + publishers;
    }
}
