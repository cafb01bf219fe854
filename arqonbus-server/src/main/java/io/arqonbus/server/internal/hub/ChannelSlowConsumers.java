package io.arqonbus.server.internal.hub;

import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.internal.reply.Replies;

/**
 * Gives each new channel its slow-consumer policy: the one {@code create_channel} asked for, else
 * the first configured pattern that matches, else {@code disconnect}; and, for {@code drop-oldest}
 * and {@code conflate}, the backlog policy its members use when they fall behind.
 */
final class ChannelSlowConsumers {
    private final SlowConsumerChannels settings;
    private final long maxBacklogBytes;
    private final ChannelSupport support;
    private final Replies replies;

    /**
     * @param maxBacklogBytes bytes one member's backlog of one channel holds at most (the
     *                        connection's pending-output budget)
     */
    ChannelSlowConsumers(SlowConsumerChannels settings, long maxBacklogBytes, ChannelSupport support, Replies replies) {
        this.settings = settings;
        this.maxBacklogBytes = maxBacklogBytes;
        this.support = support;
        this.replies = replies;
    }

    /** Sets the new channel's policy; {@code requested} is {@code create_channel}'s, or {@code null}. */
    void apply(BusChannel channel, ChannelSlowConsumerPolicy requested) {
        ChannelSlowConsumerPolicy policy = requested != null ? requested
                : settings.policyOf(channel.key().room(), channel.key().channel());
        if (policy == ChannelSlowConsumerPolicy.DISCONNECT) {
            channel.slowConsumer(policy, null);
            return;
        }
        channel.slowConsumer(policy, new ChannelBacklogPolicy(channel.key(), policy, settings.backlogMessages(),
                maxBacklogBytes, channel::epoch, support.encoder(), replies, support.metrics()));
    }
}
