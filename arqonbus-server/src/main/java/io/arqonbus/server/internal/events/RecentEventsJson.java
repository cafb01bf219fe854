package io.arqonbus.server.internal.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.EnvelopeCodec;
import java.util.List;

/**
 * The JSON of a list of recent events: each the envelope exactly as delivered on the wire, the
 * list bounded by {@value #MAX_BYTES} bytes of envelopes so that one answer stays a reasonable
 * frame (and far below a connection's pending-output budget) however large the events were.
 */
public final class RecentEventsJson {
    /** The most bytes of envelopes one list carries: {@value} (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    private RecentEventsJson() {
    }

    /**
     * The newest events of {@code events} (oldest first) whose envelopes fit in {@link #MAX_BYTES}
     * together, as an array in the same order; {@code truncated} tells whether older ones were left
     * out.
     */
    public record Bounded(ArrayNode envelopes, boolean truncated) {
    }

    /** The events as an array of envelopes, in the list's order (newest last), bounded in bytes. */
    public static Bounded envelopes(List<RecentEvent> events, EnvelopeCodec codec) {
        int keep = 0;
        long bytes = 0;
        for (int i = events.size() - 1; i >= 0; i--) {
            bytes += codec.encodeToBytes(events.get(i).envelope()).length + 1;
            if (bytes > MAX_BYTES) {
                break;
            }
            keep++;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode(keep);
        for (RecentEvent event : events.subList(events.size() - keep, events.size())) {
            out.add(codec.toTree(event.envelope()));
        }
        return new Bounded(out, keep < events.size());
    }
}
