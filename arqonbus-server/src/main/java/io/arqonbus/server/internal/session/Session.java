package io.arqonbus.server.internal.session;

import io.arqonbus.server.internal.limits.TokenBucket;
import java.util.function.Supplier;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.auth.TokenExpiry;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bus connection: who the client is, the channels it joined, and its way out.
 *
 * <p>Identity fields are volatile (commands on other loops read them for {@code status} and
 * {@code channel_info}); memberships, the violation counter and the delivery stamp belong to the
 * connection's own event loop and are touched only there.
 */
public final class Session {
    private final Channel channel;
    private final LoopContext loop;
    private final Outbound outbound;
    private volatile Principal principal;
    private TokenExpiry tokenExpiry;
    private final Set<ChannelKey> memberships = new LinkedHashSet<>();
    private volatile String clientId;
    private volatile ClientInfo info;
    private volatile Instant lastActivity;
    private int violations;
    private long deliveryStamp = -1;
    private long lastActivitySample = Long.MIN_VALUE;
    private Map<ChannelKey, HeldFrames> recovering;
    /** The backlogs of {@code drop-oldest}/{@code conflate} channels while behind; {@code null} otherwise. */
    private Backlogs backlogs;
    private Grants grants = Grants.ALL;
    private TokenBucket channelCreations;

    public Session(Channel channel, LoopContext loop, Outbound outbound, Principal principal, String clientId,
            Instant connectedAt) {
        this.channel = channel;
        this.loop = loop;
        this.outbound = outbound;
        this.principal = principal;
        this.clientId = clientId;
        this.info = ClientInfo.anonymous(connectedAt);
        this.lastActivity = connectedAt;
    }

    public Channel channel() { return channel; }
    public LoopContext loop() { return loop; }
    public Outbound outbound() { return outbound; }
    public Principal principal() { return principal; }
    public String clientId() { return clientId; }
    public ClientInfo info() { return info; }
    public Instant lastActivity() { return lastActivity; }

    /**
     * Replaces the principal after a token refresh; the caller checked that the new token names
     * the same subject. Call on this session's loop.
     */
    public void principal(Principal refreshed) {
        this.principal = refreshed;
    }

    /** The timer that closes the connection when its token expires, or {@code null} without auth. */
    public TokenExpiry tokenExpiry() { return tokenExpiry; }

    /** Sets the token expiry timer (once, when the connection opens with auth on). */
    public void tokenExpiry(TokenExpiry expiry) {
        this.tokenExpiry = expiry;
    }

    /** Changes the client id; only {@link SessionRegistry#rename} calls this. */
    void clientId(String newId) {
        this.clientId = newId;
    }

    /** Replaces what the client told about itself. */
    public void info(ClientInfo newInfo) {
        this.info = newInfo;
    }

    /** Records inbound activity. */
    public void touch(Instant now) {
        this.lastActivity = now;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive() && !outbound.isClosing();
    }

    /** Writes a prepared frame; takes ownership of {@code frame}. Call on this session's loop. */
    public boolean deliver(ByteBuf frame) {
        return outbound.write(frame);
    }

    /** The channels this session joined (loop-confined, live view). */
    public Set<ChannelKey> memberships() {
        return memberships;
    }

    /** A copy of the memberships, safe to iterate while leaving. */
    public List<ChannelKey> membershipSnapshot() {
        return List.copyOf(memberships);
    }

    /** Counts one protocol violation and returns the run of consecutive ones. */
    public int violation() {
        return ++violations;
    }

    /** Resets the run of consecutive violations after a good frame. */
    public void goodFrame() {
        violations = 0;
    }

    /**
     * Marks this session as served by a delivery with this stamp; returns {@code false} when it
     * already was, so one publication reaches a connection once even through several channels.
     */
    public boolean stamp(long stamp) {
        if (deliveryStamp == stamp) {
            return false;
        }
        deliveryStamp = stamp;
        return true;
    }

    /**
     * Whether an activity event may be sent now, at most one per {@code intervalNanos}.
     * Call on this session's loop.
     */
    public boolean sampleActivity(long nowNanos, long intervalNanos) {
        if (lastActivitySample != Long.MIN_VALUE && nowNanos - lastActivitySample < intervalNanos) {
            return false;
        }
        lastActivitySample = nowNanos;
        return true;
    }

    /** What this connection may do with which channels (everything unless permissions are configured). */
    /**
     * The token bucket of this connection's channel creations, made by {@code make} on first use.
     * Use on the session's loop.
     */
    public TokenBucket channelCreations(Supplier<TokenBucket> make) {
        if (channelCreations == null) {
            channelCreations = make.get();
        }
        return channelCreations;
    }

    public Grants grants() {
        return grants;
    }

    /** Sets the connection's grants, compiled once from its principal when it opens. */
    public void grants(Grants value) {
        this.grants = value;
    }

    // ---- recovery (loop-confined) ---------------------------------------------------------

    /** How many live frames of one channel are held back at most during a recovery: {@value}. */
    public static final int MAX_HELD_FRAMES = 10_000;

    /**
     * Starts holding back this channel's live frames while a recovery reads what was missed up to
     * {@code recoveredUpTo}. Call on this session's loop.
     */
    public void startRecovery(ChannelKey key, long recoveredUpTo) {
        if (recovering == null) {
            recovering = new HashMap<>();
        }
        HeldFrames old = recovering.put(key, new HeldFrames(recoveredUpTo, MAX_HELD_FRAMES));
        if (old != null) {
            old.release();
        }
    }

    /** Whether any recovery is running (cheap; checked per delivery). */
    public boolean isRecovering() {
        return recovering != null;
    }

    /**
     * Holds a live frame back when a recovery of its channel runs; returns {@code false} (and keeps
     * no reference) otherwise. Takes ownership of {@code frame} when it returns {@code true}.
     */
    public boolean hold(ChannelKey key, long offset, ByteBuf frame) {
        HeldFrames held = recovering == null ? null : recovering.get(key);
        if (held == null) {
            return false;
        }
        held.add(offset, frame);
        return true;
    }

    /**
     * Ends a recovery: the held frames to send now, in order (those the recovery covered are
     * released), or {@code null} when too many arrived to hold and some were dropped.
     */
    public List<ByteBuf> endRecovery(ChannelKey key) {
        HeldFrames held = recovering == null ? null : recovering.remove(key);
        if (recovering != null && recovering.isEmpty()) {
            recovering = null;
        }
        if (held == null) {
            return List.of();
        }
        if (held.overflowed()) {
            held.release();
            return null;
        }
        return held.drain();
    }

    /** Releases whatever recoveries hold (the connection closed). */
    public void dropRecoveries() {
        if (recovering != null) {
            recovering.values().forEach(HeldFrames::release);
            recovering = null;
        }
    }

    // ---- backlogs of drop-oldest and conflate channels (loop-confined) -----------------------

    /**
     * Writes a frame of a channel that keeps a backlog for members that fall behind, or keeps it in
     * that backlog: once the connection is over its write-buffer high-water mark, and for as long as
     * the channel's backlog is not written out (so the channel's frames stay in order). Takes
     * ownership of {@code frame}; returns whether it was written now.
     *
     * @param offset        the publication's offset, 0 for a notice
     * @param conflationKey the publication's conflation key under {@code conflate}, else {@code null}
     */
    public boolean deliverOrBacklog(ChannelKey key, long offset, Object conflationKey, ByteBuf frame,
            BacklogPolicy policy) {
        Backlog backlog = backlogs == null ? null : backlogs.get(key);
        if (backlog == null) {
            if (!isOpen() || outbound.takes(frame.readableBytes())) {
                return outbound.write(frame);
            }
            if (backlogs == null) {
                backlogs = new Backlogs();
            }
            backlog = backlogs.open(key, policy);
        }
        backlog.add(frame, offset, conflationKey);
        if (outbound.takes(0)) {
            drainBacklogs();
        }
        return false;
    }

    /**
     * The connection takes output again: writes the backlogs out (each one's {@code missed} notice
     * first) while it does. Call on this session's loop.
     */
    public void drainBacklogs() {
        if (backlogs != null && backlogs.drainInto(outbound)) {
            backlogs = null;
        }
    }

    /** Whether frames of some channel wait in a backlog (the session fell behind on it). */
    public boolean hasBacklogs() {
        return backlogs != null;
    }

    /** Drops the backlog of a channel the session left. */
    public void dropBacklog(ChannelKey key) {
        if (backlogs != null) {
            backlogs.release(key);
            if (backlogs.isEmpty()) {
                backlogs = null;
            }
        }
    }

    /** Releases every backlog (the connection closed). */
    public void dropBacklogs() {
        if (backlogs != null) {
            backlogs.releaseAll();
            backlogs = null;
        }
    }

    /** Bytes held in this session's backlogs (0 when it is not behind on any). */
    public long backlogBytes() {
        return backlogs == null ? 0 : backlogs.bytes();
    }

    /** Frames held in this session's backlogs. */
    public int backlogFrames() {
        return backlogs == null ? 0 : backlogs.frames();
    }

    @Override
    public String toString() {
        return "Session[" + clientId + " " + channel.remoteAddress() + "]";
    }
}
