package io.arqonbus.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds on channels: how many may exist, per tenant, how fast one connection may create
 * them, and how long an empty channel created implicitly lives on.
 *
 * @param maxChannels          channels in total; a new one past it is refused with {@code CHANNEL_LIMIT}
 * @param maxChannelsPerTenant channels one tenant's connections may have created; 0 = no bound beyond the total
 * @param createRate           new channels one connection may create a second (token bucket)
 * @param createBurst          new channels one connection may create at once (the bucket's size)
 * @param idleGrace            how long a channel created implicitly may stay empty and without
 *                             publications before it is reclaimed; {@link Duration#ZERO} = never
 */
public record ChannelLimits(int maxChannels, int maxChannelsPerTenant, int createRate, int createBurst,
        Duration idleGrace) {
    /** Default channels in total: {@value}. */
    public static final int DEFAULT_MAX_CHANNELS = 20_000;
    /** Default channels per tenant: {@value} (no bound beyond the total). */
    public static final int DEFAULT_MAX_CHANNELS_PER_TENANT = 0;
    /** Default new channels per connection and second: {@value}. */
    public static final int DEFAULT_CREATE_RATE = 100;
    /** Default burst of new channels per connection: {@value}. */
    public static final int DEFAULT_CREATE_BURST = 1_000;
    /** Default grace of an empty implicit channel: five minutes. */
    public static final Duration DEFAULT_IDLE_GRACE = Duration.ofSeconds(300);

    public ChannelLimits {
        Objects.requireNonNull(idleGrace, "idleGrace");
        ConfigException.check(maxChannels > 0, "max channels: %d (expected: > 0)", maxChannels);
        ConfigException.check(maxChannelsPerTenant >= 0, "max channels per tenant: %d (expected: >= 0)",
                maxChannelsPerTenant);
        ConfigException.check(createRate > 0, "channel create rate: %d (expected: > 0)", createRate);
        ConfigException.check(createBurst > 0, "channel create burst: %d (expected: > 0)", createBurst);
        ConfigException.check(!idleGrace.isNegative(), "channel idle seconds: %s (expected: >= 0)", idleGrace);
    }

    /** The defaults. */
    public static ChannelLimits defaults() {
        return new ChannelLimits(DEFAULT_MAX_CHANNELS, DEFAULT_MAX_CHANNELS_PER_TENANT, DEFAULT_CREATE_RATE,
                DEFAULT_CREATE_BURST, DEFAULT_IDLE_GRACE);
    }

    public ChannelLimits withMaxChannels(int value) {
        return new ChannelLimits(value, maxChannelsPerTenant, createRate, createBurst, idleGrace);
    }

    public ChannelLimits withMaxChannelsPerTenant(int value) {
        return new ChannelLimits(maxChannels, value, createRate, createBurst, idleGrace);
    }

    public ChannelLimits withCreateRate(int value) {
        return new ChannelLimits(maxChannels, maxChannelsPerTenant, value, createBurst, idleGrace);
    }

    public ChannelLimits withCreateBurst(int value) {
        return new ChannelLimits(maxChannels, maxChannelsPerTenant, createRate, value, idleGrace);
    }

    public ChannelLimits withIdleGrace(Duration value) {
        return new ChannelLimits(maxChannels, maxChannelsPerTenant, createRate, createBurst, value);
    }
}
