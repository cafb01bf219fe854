package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.BacklogPolicy;
import io.netty.buffer.ByteBuf;
import java.util.function.Supplier;

/**
 * The backlog policy of one {@code drop-oldest} or {@code conflate} channel: its bounds, and the
 * {@code missed} notice it sends a member that fell behind:
 * {@code {"type":"system","room","channel","payload":{"event":"missed","room","channel","policy","count",
 * "first_offset","offset","epoch"}}}.
 */
final class ChannelBacklogPolicy implements BacklogPolicy {
    private final ChannelKey key;
    private final ChannelSlowConsumerPolicy policy;
    private final int maxFrames;
    private final long maxBytes;
    private final Supplier<String> epoch;
    private final FrameEncoder encoder;
    private final Replies replies;
    private final BusMetrics metrics;

    /**
     * @param epoch the channel's current epoch (read when a notice is made)
     */
    ChannelBacklogPolicy(ChannelKey key, ChannelSlowConsumerPolicy policy, int maxFrames, long maxBytes,
            Supplier<String> epoch, FrameEncoder encoder, Replies replies, BusMetrics metrics) {
        this.key = key;
        this.policy = policy;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.epoch = epoch;
        this.encoder = encoder;
        this.replies = replies;
        this.metrics = metrics;
    }

    ChannelSlowConsumerPolicy policy() {
        return policy;
    }

    @Override
    public boolean conflates() {
        return policy == ChannelSlowConsumerPolicy.CONFLATE;
    }

    @Override
    public int maxFrames() {
        return maxFrames;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public ByteBuf missedNotice(long count, long firstOffset, long lastOffset) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("event", "missed");
        payload.put("room", key.room());
        payload.put("channel", key.channel());
        payload.put("policy", policy.wireName());
        payload.put("count", count);
        payload.put("first_offset", firstOffset);
        payload.put("offset", lastOffset);
        payload.put("epoch", epoch.get());
        return encoder.encode(replies.system(key.room(), key.channel(), payload));
    }

    @Override
    public void skipped() {
        metrics.slowConsumerSkipped(policy.wireName());
    }
}
