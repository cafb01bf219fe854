package io.arqonbus.server.internal.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.WelcomeExtension;
import io.arqonbus.server.internal.session.Session;
import java.util.List;
import java.util.Map;

/**
 * {@code ?welcome=recent} or {@code ?recent=N} on the upgrade URL: right after the welcome, one
 * frame {@code {"type":"system","payload":{"event":"recent_events","count":k,"events":[…]}}} with the
 * last N publications (default {@link RecentEvents#DEFAULT_COUNT}) the connection may see, newest
 * last. A bad value gets an error frame instead ({@code VALIDATION_ERROR}, or
 * {@code FEATURE_DISABLED} when the server keeps no recent events); the connection stays usable.
 */
public final class RecentEventsWelcome implements WelcomeExtension {
    /** The query parameter that names welcome extras. */
    public static final String WELCOME = "welcome";
    /** The value of {@code welcome} that asks for the recent events. */
    public static final String RECENT = "recent";
    /** The {@code payload.event} of the frame. */
    public static final String EVENT = "recent_events";

    private final RecentEvents recent;
    private final Hub hub;
    private final Replies replies;
    private final EnvelopeCodec codec;
    private final BusMetrics metrics;

    public RecentEventsWelcome(RecentEvents recent, Hub hub, Replies replies, EnvelopeCodec codec,
            BusMetrics metrics) {
        this.recent = recent;
        this.hub = hub;
        this.replies = replies;
        this.codec = codec;
        this.metrics = metrics;
    }

    @Override
    public void welcomed(Session session, Map<String, List<String>> query) {
        String welcome = first(query, WELCOME);
        String count = first(query, RECENT);
        if (welcome == null && count == null) {
            return;
        }
        if (welcome != null && !welcome.equals(RECENT)) {
            reject(session, ErrorCode.VALIDATION_ERROR, "Unknown welcome option '" + welcome
                    + "' in the connection URL (known: recent)");
            if (count == null) {
                return;
            }
        }
        if (!recent.enabled()) {
            reject(session, ErrorCode.FEATURE_DISABLED,
                    "Recent events are off on this server (ARQONBUS_RECENT_EVENTS_SIZE=0)");
            return;
        }
        int n;
        try {
            n = recent.count(RECENT, count);
        } catch (IllegalArgumentException e) {
            reject(session, ErrorCode.VALIDATION_ERROR, e.getMessage() + " in the connection URL");
            return;
        }
        List<RecentEvent> events = recent.latest(n,
                event -> event.visibleTo(session.principal(), session.grants()));
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("event", EVENT);
        RecentEventsJson.Bounded bounded = RecentEventsJson.envelopes(events, codec);
        payload.put("count", bounded.envelopes().size());
        if (bounded.truncated()) {
            payload.put("truncated", true);
        }
        payload.set("events", bounded.envelopes());
        hub.sendTo(session, replies.system(null, null, payload));
    }

    private void reject(Session session, ErrorCode code, String sentence) {
        metrics.error(code);
        hub.sendTo(session, replies.error(code, sentence, List.of(sentence), null));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
