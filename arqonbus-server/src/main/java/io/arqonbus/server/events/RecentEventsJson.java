package io.arqonbus.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.EnvelopeCodec;
import java.util.List;

/** The JSON of a list of recent events: each the envelope exactly as delivered on the wire. */
public final class RecentEventsJson {
    private RecentEventsJson() {
    }

    /** The events as an array of envelopes, in the list's order (newest last). */
    public static ArrayNode envelopes(List<RecentEvent> events, EnvelopeCodec codec) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(events.size());
        for (RecentEvent event : events) {
            out.add(codec.toTree(event.envelope()));
        }
        return out;
    }
}
