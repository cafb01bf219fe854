package io.arqonbus.bench.report;

import java.util.Locale;

/**
 * One sample of a soak run (one CSV line). Memory figures are MiB, -1 when unknown; rates and
 * latencies cover the interval since the previous sample; {@code lost}, {@code duplicates} and
 * {@code errors} count from the start of the run. Column meanings: docs/reliability.md, "Soak".
 *
 * @param minute           minutes since publishing started
 * @param warmUp           whether the sample falls in the warm-up
 * @param connections      the load tool's connections that are open
 * @param rssMb            the server's resident set ({@code VmRSS})
 * @param heapAfterGcMb    the server's heap in use right after a full collection ({@code jcmd GC.run}, {@code GC.heap_info})
 * @param nettyDirectMb    Netty's pooled direct memory ({@code netty_allocator_memory_used{memory_type="direct"}})
 * @param jvmDirectMb      the JVM's direct buffer pool ({@code jvm_buffer_memory_used_bytes{id="direct"}})
 * @param fds              the server's open file descriptors
 * @param serverCpuPct     the server's CPU time over the interval, in % of one core
 * @param benchCpuPct      the load tool's CPU time over the interval, in % of one core
 * @param publishedPerS    plain publications per second (fan-out and many-channels)
 * @param deliveriesPerS   publications received by subscribers per second (plain and durable)
 * @param p50Ms            publish→receive latency, median
 * @param p99Ms            publish→receive latency, 99th percentile
 * @param maxMs            publish→receive latency, maximum
 * @param durableSent      durable publications sent in the interval
 * @param durableAcked     durable acks received in the interval
 * @param durableReceived  durable publications received by subscribers in the interval
 * @param ackP99Ms         publish→ack latency of durable publications, 99th percentile
 * @param commands         command replies in the interval
 * @param commandP99Ms     command→reply latency, 99th percentile
 * @param lost             sequence gaps seen by subscribers
 * @param duplicates       publications a subscriber received twice, and acks received twice
 * @param errors           error replies, commands without a reply, refused durable publishes, dropped connections
 * @param machineLoad      the machine's one-minute load average ({@code /proc/loadavg}): what else ran
 */
public record SoakRow(double minute, boolean warmUp, long connections, double rssMb, double heapAfterGcMb,
        double nettyDirectMb, double jvmDirectMb, long fds, double serverCpuPct, double benchCpuPct,
        double publishedPerS, double deliveriesPerS, double p50Ms, double p99Ms, double maxMs, long durableSent,
        long durableAcked, long durableReceived, double ackP99Ms, long commands, double commandP99Ms, long lost,
        long duplicates, long errors, double machineLoad) {

    /** The CSV header line. */
    public static final String HEADER = "minute,phase,connections,server_rss_mib,server_heap_after_gc_mib,"
            + "server_netty_direct_mib,server_jvm_direct_mib,server_fds,server_cpu_pct,bench_cpu_pct,"
            + "published_per_s,deliveries_per_s,p50_ms,p99_ms,max_ms,durable_sent,durable_acked,durable_received,"
            + "ack_p99_ms,commands,command_p99_ms,lost,duplicates,errors,machine_load1";

    /** This sample as a CSV line (no line end). */
    public String csv() {
        return String.format(Locale.ROOT,
                "%.2f,%s,%d,%.1f,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%.1f,%.1f,%.2f,%.2f,%.2f,%d,%d,%d,%.2f,%d,%.2f,%d,%d,%d,%.2f",
                minute, warmUp ? "warm-up" : "measured", connections, rssMb, heapAfterGcMb, nettyDirectMb, jvmDirectMb,
                fds, serverCpuPct, benchCpuPct, publishedPerS, deliveriesPerS, p50Ms, p99Ms, maxMs, durableSent,
                durableAcked, durableReceived, ackP99Ms, commands, commandP99Ms, lost, duplicates, errors, machineLoad);
    }

    /** Bytes as MiB, -1 when unknown (negative). */
    public static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }
}
