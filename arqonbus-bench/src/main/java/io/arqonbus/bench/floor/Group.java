package io.arqonbus.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

/**
 * One {@code room:channel} group: its members sharded by event loop. The array of loops only
 * grows (copy-on-write under the group's lock, off the hot path); each loop's member list is
 * confined to that loop, so forwarding takes no lock.
 */
final class Group {
    private volatile LoopMembers[] loops = new LoopMembers[0];

    /** On the channel's loop: adds it to the group. */
    void join(Channel channel) {
        membersOf(channel.eventLoop()).add(channel);
    }

    /** On the channel's loop: removes it from the group. */
    void leave(Channel channel) {
        for (LoopMembers members : loops) {
            if (members.loop() == channel.eventLoop()) {
                members.remove(channel);
            }
        }
    }

    /**
     * Forwards {@code content} (a whole WebSocket frame, still owned by the caller) to every member
     * but the sender: one task per event loop, each holding one reference to the same bytes.
     */
    void forward(ByteBuf content, Channel sender) {
        for (LoopMembers members : loops) {
            ByteBuf reference = content.retain();
            EventLoop loop = members.loop();
            if (loop.inEventLoop()) {
                members.deliver(reference, sender);
                continue;
            }
            try {
                loop.execute(() -> members.deliver(reference, sender));
            } catch (RejectedExecutionException shuttingDown) {
                reference.release();
            }
        }
    }

    private LoopMembers membersOf(EventLoop loop) {
        for (LoopMembers members : loops) {
            if (members.loop() == loop) {
                return members;
            }
        }
        synchronized (this) {
            LoopMembers[] current = loops;
            for (LoopMembers members : current) {
                if (members.loop() == loop) {
                    return members;
                }
            }
            LoopMembers created = new LoopMembers(loop);
            LoopMembers[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = created;
            loops = grown;
            return created;
        }
    }
}
