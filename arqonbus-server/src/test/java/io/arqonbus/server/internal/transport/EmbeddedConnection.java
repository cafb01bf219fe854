package io.arqonbus.server.internal.transport;

import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.session.LoopContext;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Outbound;
import io.arqonbus.server.internal.session.Session;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bus connection on Netty's {@link EmbeddedChannel} for handler unit tests: the channel with
 * frozen time (tests move it with {@link #advance}), its loop's context, and a session whose
 * outbound writes to the channel, so what the server writes is read back with {@link #written()}.
 */
final class EmbeddedConnection implements AutoCloseable {
    final EmbeddedChannel channel;
    final LoopContexts loops;
    final LoopContext loop;
    final Outbound outbound;
    final Session session;
    /** Slow-consumer closes the outbound asked for. */
    final List<Long> slowConsumers = new ArrayList<>();

    EmbeddedConnection() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        loops = new LoopContexts(channel.eventLoop());
        loop = loops.of(channel.eventLoop());
        outbound = new Outbound(channel, loop, 1 << 20, SlowConsumerPolicy.CLOSE, new Outbound.Listener() {
            @Override
            public void dropped(int bytes) {
            }

            @Override
            public void slowConsumer(Channel ch, long pendingBytes) {
                slowConsumers.add(pendingBytes);
            }
        });
        session = new Session(channel, loop, outbound, Principal.ANONYMOUS, "embedded-1", Instant.EPOCH);
        outbound.bind(session);
    }

    /** Moves the channel's clock on and runs every task that came due (and the tasks those queued). */
    void advance(Duration by) {
        channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        runTasks();
    }

    /** Runs the tasks queued on the loop (flushes, closes). */
    void runTasks() {
        for (int i = 0; i < 10; i++) {
            channel.runPendingTasks();
        }
    }

    /** What the server wrote and flushed since the last call; the caller releases it. */
    List<Object> written() {
        runTasks();
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            out.add(o);
        }
        return out;
    }

    /** Inbound messages that went past every handler, released. */
    int drainInbound() {
        int n = 0;
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            ReferenceCountUtil.release(o);
            n++;
        }
        return n;
    }

    static void release(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    @Override
    public void close() {
        release(written());
        drainInbound();
        channel.finishAndReleaseAll();
    }
}
