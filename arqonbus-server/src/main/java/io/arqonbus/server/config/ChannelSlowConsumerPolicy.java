package io.arqonbus.server.config;

import java.util.Locale;

/**
 * What a channel does with a member that falls behind (its connection's pending output is over
 * the write-buffer high-water mark): chosen per channel by {@link SlowConsumerChannels}' patterns
 * or by {@code create_channel}'s {@code slow_consumer} argument (docs/protocol.md, "Slow consumers
 * per channel").
 */
public enum ChannelSlowConsumerPolicy {
    /**
     * Nothing special (the default): the connection's budget applies as for every frame; past
     * {@code ARQONBUS_MAX_PENDING_BYTES} it is closed with 4001 (or its deliveries dropped under
     * {@code ARQONBUS_SLOW_CONSUMER_POLICY=drop}) and the client recovers by position.
     */
    DISCONNECT("disconnect"),
    /**
     * The member's frames of this channel wait in a bounded backlog; when it overflows the oldest
     * are dropped, and the member is told what it missed ({@code missed} notice) before the rest.
     */
    DROP_OLDEST("drop-oldest"),
    /**
     * Like {@link #DROP_OLDEST}, but a publication replaces the waiting one with the same
     * conflation key ({@code metadata.conflation_key}, else {@code payload.key}, else the channel):
     * the latest value per key wins.
     */
    CONFLATE("conflate");

    private final String wireName;

    ChannelSlowConsumerPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire and in configuration: {@code disconnect}, {@code drop-oldest}, {@code conflate}. */
    public String wireName() {
        return wireName;
    }

    /** The policy of this name (case-insensitive), or {@code null} when no policy has it. */
    public static ChannelSlowConsumerPolicy ofWireName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ChannelSlowConsumerPolicy policy : values()) {
            if (policy.wireName.equals(wanted)) {
                return policy;
            }
        }
        return null;
    }

    /** The names, for error sentences: {@code disconnect, drop-oldest or conflate}. */
    public static String names() {
        return "disconnect, drop-oldest or conflate";
    }
}
