package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelLimits;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.limits.TokenBucket;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Session;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the channels clients created and refuses a new one past the bounds of
 * {@link ChannelLimits}: the connection's creation rate (a token bucket per connection), the
 * total, the tenant's share. Channels the server makes (configured, restored, the science room)
 * are not counted.
 */
final class ChannelQuota {
    /** The tenant of a channel made by a connection without one. */
    static final String NO_TENANT = "";

    private final ChannelLimits limits;
    private final BusMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();

    ChannelQuota(ChannelLimits limits, BusMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    ChannelLimits limits() {
        return limits;
    }

    /**
     * Takes one channel for {@code requester} (one token of its bucket, one of the total and one of
     * its tenant's share), or refuses.
     *
     * @return the tenant charged, to give back with {@link #giveBack}
     * @throws ChannelRefusedException when a bound is reached; nothing is taken then
     */
    String take(Session requester) {
        if (requester != null) {
            TokenBucket bucket = requester.channelCreations(
                    () -> new TokenBucket(limits.createRate(), limits.createBurst(), System.nanoTime()));
            if (!bucket.tryTake(System.nanoTime())) {
                throw refused(ErrorCode.RATE_LIMITED, "Too many new channels: this connection may create "
                        + limits.createRate() + " a second (ARQONBUS_CHANNEL_CREATE_RATE)");
            }
        }
        if (total.incrementAndGet() > limits.maxChannels()) {
            total.decrementAndGet();
            throw refused(ErrorCode.CHANNEL_LIMIT, "Too many channels: the server holds at most "
                    + limits.maxChannels() + " (ARQONBUS_MAX_CHANNELS)");
        }
        String tenant = tenantOf(requester);
        if (limits.maxChannelsPerTenant() > 0 && !NO_TENANT.equals(tenant)) {
            AtomicInteger count = perTenant.computeIfAbsent(tenant, t -> new AtomicInteger());
            if (count.incrementAndGet() > limits.maxChannelsPerTenant()) {
                count.decrementAndGet();
                total.decrementAndGet();
                throw refused(ErrorCode.CHANNEL_LIMIT, "Too many channels: this tenant may create at most "
                        + limits.maxChannelsPerTenant() + " (ARQONBUS_MAX_CHANNELS_PER_TENANT)");
            }
        }
        return tenant;
    }

    /** Gives back what {@link #take} took for a channel that is gone (or was not made after all). */
    void giveBack(String tenant) {
        total.decrementAndGet();
        if (limits.maxChannelsPerTenant() > 0 && !NO_TENANT.equals(tenant)) {
            AtomicInteger count = perTenant.get(tenant);
            if (count != null) {
                count.decrementAndGet();
            }
        }
    }

    /** How many channels clients created that still exist. */
    int counted() {
        return total.get();
    }

    private ChannelRefusedException refused(ErrorCode code, String message) {
        metrics.channelRefused(code);
        return new ChannelRefusedException(code, message);
    }

    private static String tenantOf(Session requester) {
        Principal principal = requester == null ? null : requester.principal();
        return principal == null || principal.tenantId() == null ? NO_TENANT : principal.tenantId();
    }
}
