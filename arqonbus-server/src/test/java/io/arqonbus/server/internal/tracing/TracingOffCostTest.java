package io.arqonbus.server.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Tracing off costs the publication path no allocation: every call the router, the hub and the
 * webhook lane make per publication answers shared objects. Measured with the JVM's per-thread
 * allocation counter over a million publications' worth of calls.
 */
class TracingOffCostTest {
    private static final int PUBLICATIONS = 1_000_000;

    @Test
    void theOffPathAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BusTracing tracing = BusTracing.off();
        Envelope envelope = Envelope.builder("arq_1", "2026-01-01T00:00:00Z", MessageType.MESSAGE).room("r").channel("c")
                .payload(JsonNodeFactory.instance.objectNode()).build();
        long sink = publications(tracing, envelope, 20_000); // warm up: let the JIT compile it
        long before = threads.getCurrentThreadAllocatedBytes();
        sink += publications(tracing, envelope, PUBLICATIONS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isEqualTo(20_000L + PUBLICATIONS);
        // The counter itself may account a few hundred bytes; one object per publication would be 16 MB.
        assertThat(allocated).as("bytes allocated by %d publications' tracing calls", PUBLICATIONS).isLessThan(4096);
    }

    /** The calls one publication makes while tracing is off, as InboundRouter, BusChannel and LocalDelivery make them. */
    private static long publications(BusTracing tracing, Envelope envelope, int count) {
        long routed = 0;
        for (int i = 0; i < count; i++) {
            TraceSpan received = tracing.enabled() ? tracing.receive(envelope, "c1") : TraceSpan.NONE;
            Envelope carried = tracing.carry(envelope, received);
            TraceSpan inspecting = tracing.step(received, BusTracing.INSPECT);
            inspecting.end();
            TraceSpan sequencing = tracing.step(carried, BusTracing.SEQUENCE);
            sequencing.end();
            TraceSpan storing = tracing.step(carried, BusTracing.STORE);
            storing.endWhenDone(null);
            TraceSpan fanOut = tracing.step(carried, BusTracing.FAN_OUT);
            fanOut.end();
            received.end();
            routed += carried == envelope ? 1 : 0;
        }
        return routed;
    }
}
