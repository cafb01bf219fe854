package io.arqonbus.server.internal.presence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.Session;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Typing indicators (seed 004). A client's typing state in a channel is what the other members
 * were last told; only changes are relayed, as a system notice sent to the channel's other members
 * and never stored, inspected by publication listeners or delivered through filters:
 * {@code {"type":"system","payload":{"event":"typing","client_id","state","room","channel"}}}; in a
 * cluster the members on every node are told (through the hub's {@code MemberDirectory}).
 *
 * <ul>
 *   <li><b>Rate.</b> At most one change per client per channel per {@code interval} (1 s) is relayed.
 *       Signals inside the interval are coalesced: at its end the latest wanted state is relayed if it
 *       still differs from what the members were last told (start → stop → start within a second
 *       relays nothing more).</li>
 *   <li><b>Expiry.</b> Every {@code start} (relayed or not) re-arms a timer; when {@code expiry}
 *       (5 s) passes without one, the server relays {@code stop} itself.</li>
 *   <li><b>Closing.</b> When the connection closes while shown as typing, {@code stop} is relayed at
 *       once. A member that leaves the channel while typing gets its {@code stop} from the expiry.</li>
 * </ul>
 *
 * <p>State lives on the connection's Netty channel and is touched only on its event loop; timers run
 * on that loop ({@code eventLoop().schedule}), never blocking it.
 */
public final class Typing {
    /** The shortest time between two relayed changes of one client in one channel. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How long a {@code start} holds without another one. */
    public static final Duration EXPIRY = Duration.ofSeconds(5);

    private static final AttributeKey<Map<ChannelKey, State>> STATES = AttributeKey.valueOf("arqonbus.typing");

    private final Hub hub;
    private final Replies replies;
    private final long intervalNanos;
    private final long expiryNanos;

    public Typing(Hub hub, Replies replies) {
        this(hub, replies, INTERVAL, EXPIRY);
    }

    public Typing(Hub hub, Replies replies, Duration interval, Duration expiry) {
        this.hub = hub;
        this.replies = replies;
        this.intervalNanos = interval.toNanos();
        this.expiryNanos = expiry.toNanos();
    }

    /**
     * Takes one signal of a member. Call on the session's loop.
     *
     * @return whether a notice went out at once ({@code false}: nothing changed, or coalesced into
     *         the end of the current interval)
     */
    public boolean signal(Session session, ChannelKey key, boolean start) {
        State state = states(session).computeIfAbsent(key, k -> new State(session, k));
        return state.signal(start);
    }

    private Map<ChannelKey, State> states(Session session) {
        Map<ChannelKey, State> states = session.channel().attr(STATES).get();
        if (states == null) {
            Map<ChannelKey, State> made = new HashMap<>();
            session.channel().attr(STATES).set(made);
            session.channel().closeFuture().addListener(f -> closed(made));
            states = made;
        }
        return states;
    }

    /** The connection closed: stop the timers, and tell the members of channels it was shown typing in. */
    private void closed(Map<ChannelKey, State> states) {
        for (State state : List.copyOf(states.values())) {
            state.close();
        }
        states.clear();
    }

    private void relay(Session session, ChannelKey key, boolean typing) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("event", "typing");
        payload.put("client_id", session.clientId());
        payload.put("state", typing ? "start" : "stop");
        payload.put("room", key.room());
        payload.put("channel", key.channel());
        Envelope notice = replies.system(key.room(), key.channel(), payload);
        hub.send(key, notice, session);
        hub.members().relay(key, notice);
    }

    /** One client's typing state in one channel; loop-confined. */
    private final class State {
        private final Session session;
        private final ChannelKey key;
        private boolean shown;
        private boolean wanted;
        private long lastRelay;
        private boolean relayedOnce;
        private ScheduledFuture<?> flush;
        private ScheduledFuture<?> expiry;

        State(Session session, ChannelKey key) {
            this.session = session;
            this.key = key;
        }

        boolean signal(boolean start) {
            wanted = start;
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            if (start) {
                expiry = session.channel().eventLoop().schedule(this::expire, expiryNanos, TimeUnit.NANOSECONDS);
            }
            if (flush != null || wanted == shown) {
                return false;
            }
            long now = System.nanoTime();
            long wait = relayedOnce ? lastRelay + intervalNanos - now : 0;
            if (wait <= 0) {
                show(now);
                return true;
            }
            flush = session.channel().eventLoop().schedule(this::flush, wait, TimeUnit.NANOSECONDS);
            return false;
        }

        private void flush() {
            flush = null;
            if (wanted != shown) {
                show(System.nanoTime());
            }
        }

        private void expire() {
            expiry = null;
            wanted = false;
            if (flush == null && shown) {
                show(System.nanoTime());
            }
        }

        private void show(long now) {
            shown = wanted;
            lastRelay = now;
            relayedOnce = true;
            relay(session, key, shown);
        }

        void close() {
            if (flush != null) {
                flush.cancel(false);
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            if (shown) {
                shown = false;
                relay(session, key, false);
            }
        }
    }
}
