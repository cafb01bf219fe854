package io.arqonbus.server.internal.subscription;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.subscribe.SubscriptionFilter;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.ChannelView;
import io.arqonbus.server.internal.hub.FilteredReceivers;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every filtered subscription of the server (seed 003), kept per event loop like channel members,
 * so the hub hands a publication to each loop once and that loop serves its members and its
 * filtered receivers in one task.
 *
 * <p>A connection receives a publication through its filters when one of them matches, it did not
 * send it, it was not already served the same publication (as a member or by another filter), and
 * it may see it: its grants allow {@code subscribe} on the publication's {@code room:channel}
 * ({@code room:*} for a room broadcast), a private channel admits it, and — for a publication a
 * connection sent — both connections have the same tenant. Publications of the server or the host
 * application follow the permission check only.
 *
 * <p>All changes run on the subscribing connection's loop; the counts are the only state read
 * from other threads.
 */
public final class Subscriptions implements FilteredReceivers {
    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    /** The prefix of subscription ids. */
    public static final String ID_PREFIX = "sub_";

    private final LoopSubscriptions[] byLoop;
    private final AtomicInteger total = new AtomicInteger();
    private final IdGenerator ids;
    private final int maxPerConnection;

    /**
     * @param loops            how many event loops serve bus connections
     * @param maxPerConnection how many subscriptions one connection may hold
     */
    public Subscriptions(int loops, IdGenerator ids, int maxPerConnection) {
        this.byLoop = new LoopSubscriptions[loops];
        for (int i = 0; i < loops; i++) {
            byLoop[i] = new LoopSubscriptions();
        }
        this.ids = ids;
        this.maxPerConnection = maxPerConnection;
    }

    /** How many subscriptions a connection may hold. */
    public int maxPerConnection() {
        return maxPerConnection;
    }

    /** How many subscriptions exist now. */
    public int size() {
        return total.get();
    }

    /** How many subscriptions the session holds. Call on the session's loop. */
    public int countOf(Session session) {
        return loop(session).countOf(session);
    }

    /**
     * Adds a subscription (the caller checked the limit) and returns its id; the first one of a
     * connection arranges for all of them to go when it closes. Call on the session's loop.
     */
    public String add(Session session, SubscriptionFilter filter) {
        LoopSubscriptions local = loop(session);
        boolean first = local.isNew(session);
        String id = ids.nextToken(ID_PREFIX, 16);
        local.add(new FilterSubscription(id, session, filter));
        total.incrementAndGet();
        if (first) {
            session.channel().closeFuture().addListener(f -> removeAll(session));
        }
        log.atDebug()
                .addKeyValue("event", "subscribed")
                .addKeyValue("client", session.clientId())
                .addKeyValue("subscriber_id", id)
                .addKeyValue("filter", filter)
                .log("subscribed");
        return id;
    }

    /** Removes the session's subscription; {@code false} when it has none with this id. Call on its loop. */
    public boolean remove(Session session, String id) {
        if (loop(session).remove(session, id) == null) {
            return false;
        }
        total.decrementAndGet();
        return true;
    }

    /** Removes every subscription of the session (it closed). Call on its loop. */
    public void removeAll(Session session) {
        int removed = loop(session).removeAll(session);
        if (removed > 0) {
            total.addAndGet(-removed);
        }
    }

    private LoopSubscriptions loop(Session session) {
        return byLoop[session.loop().index()];
    }

    // ---- FilteredReceivers --------------------------------------------------------------------

    @Override
    public boolean any() {
        return total.get() > 0;
    }

    @Override
    public boolean onLoop(int loopIndex) {
        return byLoop[loopIndex].count() > 0;
    }

    @Override
    public int deliver(int loopIndex, Envelope delivered, ChannelView channel, ByteBuf frame, Session sender,
            long stamp) {
        int sent = 0;
        for (FilterSubscription subscription : byLoop[loopIndex].all()) {
            Session receiver = subscription.session();
            if (receiver == sender || !subscription.filter().matches(delivered)
                    || !maySee(receiver, delivered, channel, sender) || !receiver.stamp(stamp)) {
                continue;
            }
            if (receiver.deliver(FrameEncoder.share(frame))) {
                sent++;
            }
        }
        return sent;
    }

    /** Whether the receiver may see the publication (on the receiver's loop: its grants are loop-confined). */
    private static boolean maySee(Session receiver, Envelope delivered, ChannelView channel, Session sender) {
        if (sender != null && !Objects.equals(sender.principal().tenantId(), receiver.principal().tenantId())) {
            return false;
        }
        if (channel != null) {
            return channel.admits(receiver) && receiver.grants().allows(ChannelAction.SUBSCRIBE, channel.key());
        }
        return receiver.grants().allows(ChannelAction.SUBSCRIBE, ChannelKey.roomWide(delivered.room()));
    }
}
