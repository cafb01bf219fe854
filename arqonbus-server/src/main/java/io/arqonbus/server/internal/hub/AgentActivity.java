package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.reply.Replies;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.ClientInfo;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.telemetry.TelemetryHub;

/**
 * Lightweight {@code agent_activity} events for dashboards: whenever an identified client that
 * is not a human or a dashboard connects, joins, leaves, sends or disconnects, a {@code system}
 * envelope goes to the members of {@code integriguard:dashboard-events} (not stored) and to the
 * telemetry port. Message activity is sampled: at most one event per client per second.
 */
public final class AgentActivity {
    /** Where activity events go on the bus. */
    public static final ChannelKey DASHBOARD_EVENTS = ChannelKey.of("integriguard", "dashboard-events");
    private static final long MESSAGE_SAMPLE_NANOS = 1_000_000_000L;

    private final Hub hub;
    private final Replies replies;
    private final TelemetryHub telemetry;

    public AgentActivity(Hub hub, Replies replies, TelemetryHub telemetry) {
        this.hub = hub;
        this.replies = replies;
        this.telemetry = telemetry;
    }

    /** Records an activity of the session; {@code key} may be {@code null}. */
    public void record(Session session, String activity, ChannelKey key) {
        ClientInfo info = session.info();
        if (info.clientType() == null || info.isHumanOrDashboard()) {
            return;
        }
        if (key != null && DASHBOARD_EVENTS.room().equals(key.room())) {
            return;
        }
        if ("message_sent".equals(activity) && !session.sampleActivity(System.nanoTime(), MESSAGE_SAMPLE_NANOS)) {
            return;
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("event", "agent_activity");
        payload.put("activity", activity);
        payload.put("client_id", session.clientId());
        payload.put("client_type", info.clientType());
        if (info.screenName() != null) {
            payload.put("screen_name", info.screenName());
        }
        if (key != null) {
            payload.put("room", key.room());
            if (key.channel() != null) {
                payload.put("channel", key.channel());
            }
        }
        hub.send(DASHBOARD_EVENTS, replies.system(DASHBOARD_EVENTS.room(), DASHBOARD_EVENTS.channel(), payload), null);
        telemetry.emit("agent_activity", payload);
    }
}
