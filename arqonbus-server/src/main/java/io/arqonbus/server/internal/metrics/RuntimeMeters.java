package io.arqonbus.server.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of the process around the bus, bound to the scrape registry: Micrometer's JVM binders
 * (memory pools and buffer pools — {@code jvm_buffer_memory_used_bytes{id="direct"}} —, GC pauses,
 * threads, classes, CPU usage), its Netty binder for the connections' allocator
 * ({@code netty_allocator_memory_used{memory_type="direct"}}), and the Prometheus client's process
 * collector for the standard {@code process_*} series ({@code process_resident_memory_bytes},
 * {@code process_open_fds}, {@code process_max_fds}, {@code process_cpu_seconds_total},
 * {@code process_start_time_seconds}). The process collector reads {@code /proc} at each scrape,
 * so {@code /metrics} scrapes off the event loops.
 */
final class RuntimeMeters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeMeters.class);

    /**
     * What {@code promtool check metrics} would refuse in the binders' meters: Netty's have no
     * description (given one here), {@code process.cpu.time} is in nanoseconds (left out:
     * {@code process_cpu_seconds_total} says the same in seconds), and {@code system.cpu.count} is a
     * gauge whose name ends in {@code _count} (renamed {@code system.cpu.available.processors}).
     */
    static final MeterFilter CONVENTIONS = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getName().equals("system.cpu.count")) {
                return id.withName("system.cpu.available.processors");
            }
            if (id.getName().startsWith("netty.allocator.") && id.getDescription() == null) {
                return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(),
                        "Netty buffer allocator: " + id.getName().substring("netty.allocator.".length()).replace('.', ' '),
                        id.getType());
            }
            return id;
        }
    };

    private final JvmGcMetrics gc;

    private RuntimeMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    static RuntimeMeters bind(PrometheusMeterRegistry registry, ByteBufAllocator allocator) {
        registry.config().meterFilter(CONVENTIONS);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        try {
            ProcessMetrics.builder().register(registry.getPrometheusRegistry());
        } catch (IllegalArgumentException | IllegalStateException alreadyThere) {
            // An embedder's registry (or a restarted bus in it) has the process series already.
            log.atDebug().setMessage("process collector already registered")
                    .addKeyValue("event", "metrics_process_shared").log();
        }
        return new RuntimeMeters(gc);
    }

    /** Stops the GC notification listener (the process collector holds nothing of the bus). */
    @Override
    public void close() {
        gc.close();
    }
}
