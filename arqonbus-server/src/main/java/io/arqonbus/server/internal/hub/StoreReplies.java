package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.session.LoopContext;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replies that a store's completion causes (durable acks and their {@code STORAGE_UNAVAILABLE}
 * errors), handed to the event loops in batches. A durable store completes a whole group of
 * appends at once on its own thread; handing each reply to its loop as a task of its own costs a
 * task, often a wake-up of the loop and a flush per reply. Here the first reply of a burst queues
 * one task on its connection's loop, and that task writes every reply queued for the loop by the
 * time it runs, so the loop wakes once and flushes each connection once per group.
 *
 * <p>Each connection gets its replies in the order they were given. A reply caused on the
 * connection's own loop (a store that completed at once, like the memory store, or a callback
 * attached after the store completed) is queued behind the loop's other work as before, so its
 * order with the connection's other replies is kept, unless replies from a store thread still
 * wait for the loop: then it waits behind them, in the batch.
 * A reply from a store thread has no order with the loop's own replies to keep: it is written
 * with its batch.
 */
final class StoreReplies {
    private final Batch[] batches;
    private final FanOut fanOut;

    StoreReplies(LoopContexts loops, FanOut fanOut) {
        this.fanOut = fanOut;
        this.batches = new Batch[loops.size()];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new Batch(loops.get(i));
        }
    }

    /** Hands the frame to the session's loop; takes ownership of {@code frame}. Any thread. */
    void send(Session target, ByteBuf frame) {
        LoopContext loop = target.loop();
        int index = loop.index();
        if (index >= batches.length || batches[index].loop != loop) {
            fanOut.toSession(target, frame);
            return;
        }
        Batch batch = batches[index];
        if (loop.loop().inEventLoop() && batch.waiting.isEmpty()) {
            // Nothing from a store thread waits for this loop: every earlier reply was written.
            fanOut.toSession(target, frame);
        } else {
            // Behind the replies still waiting, so a connection's acks keep their order.
            batch.add(target, frame);
        }
    }

    private record Reply(Session target, ByteBuf frame) {
    }

    /** The replies waiting for one loop, written by one task per burst. */
    private final class Batch implements Runnable {
        private final LoopContext loop;
        private final ConcurrentLinkedQueue<Reply> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Batch(LoopContext loop) {
            this.loop = loop;
        }

        void add(Session target, ByteBuf frame) {
            waiting.offer(new Reply(target, frame));
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                loop.enqueue(this);
            }
        }

        /** On the loop: writes everything waiting; the loop's flush batcher flushes each connection once. */
        @Override
        public void run() {
            scheduled.set(false);
            Reply reply;
            while ((reply = waiting.poll()) != null) {
                fanOut.writeNow(reply.target(), reply.frame());
            }
        }
    }
}
