package io.arqonbus.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of one group served by one event loop; touched only on that loop. Deliveries are
 * written at once and flushed by one task queued behind them, so all messages the loop handles
 * in one pass (a read batch, a run of tasks) reach each member with one flush.
 */
final class LoopMembers {
    private final EventLoop loop;
    private final List<Channel> members = new ArrayList<>();
    private final Runnable flush = this::flushAll;
    private boolean flushQueued;

    LoopMembers(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** On {@link #loop()}. */
    void add(Channel channel) {
        if (!members.contains(channel)) {
            members.add(channel);
        }
    }

    /** On {@link #loop()}. */
    void remove(Channel channel) {
        members.remove(channel);
    }

    /**
     * On {@link #loop()}: writes a duplicate of {@code content} (a whole WebSocket frame) to every member except the sender,
     * queues the flush (once per pass), then releases the reference the caller handed over.
     */
    void deliver(ByteBuf content, Channel sender) {
        try {
            int size = members.size();
            for (int i = 0; i < size; i++) {
                Channel member = members.get(i);
                if (member != sender) {
                    member.write(content.retainedDuplicate(), member.voidPromise());
                }
            }
            if (!flushQueued && size > 0) {
                flushQueued = true;
                loop.execute(flush);
            }
        } finally {
            content.release();
        }
    }

    private void flushAll() {
        flushQueued = false;
        for (int i = 0; i < members.size(); i++) {
            members.get(i).flush();
        }
    }
}
