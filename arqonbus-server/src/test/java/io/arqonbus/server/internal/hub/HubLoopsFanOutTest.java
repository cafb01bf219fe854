package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.MemoryHistoryStore;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContext;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Outbound;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fan-out across event loops, on loops that do no I/O (one {@link DefaultEventLoop} per simulated
 * loop, each counting the hub's tasks handed to it) and members on {@link EmbeddedChannel}s: a
 * publication is handed once to each loop with members, and every member but the sender receives
 * each publication once, in offset order. Uses only the hub's public methods.
 */
class HubLoopsFanOutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HUB_PACKAGE = Hub.class.getPackageName();
    private static final ChannelKey KEY = ChannelKey.of("science", "fanout");

    /** An event loop that counts the tasks the hub hands it (its flushes and other tasks are not counted). */
    static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger hubTasks = new AtomicInteger();

        CountingLoop(EventLoopGroup parent, Executor executor) {
            super(parent, executor);
        }

        @Override
        public void execute(Runnable task) {
            if (task.getClass().getName().startsWith(HUB_PACKAGE)) {
                hubTasks.incrementAndGet();
            }
            super.execute(task);
        }
    }

    private final EventLoopGroup group = new DefaultEventLoopGroup(3) {
        @Override
        protected EventLoop newChild(Executor executor, Object... args) {
            return new CountingLoop(this, executor);
        }
    };
    private final LoopContexts loops = new LoopContexts(group);
    private final Clock clock = Clock.systemUTC();
    private final IdGenerator ids = new IdGenerator();
    private final EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
    private final MemoryHistoryStore history = new MemoryHistoryStore(10_000, Duration.ofHours(1), clock, codec);
    private final Hub hub = new Hub(loops, history, Map.of(),
            new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT), new BusMetrics(), ids, clock);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = 0; i < loops.size(); i++) {
            onLoop(loops.get(i), () -> {
                channels.forEach(EmbeddedChannel::finishAndReleaseAll);
                return null;
            });
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        history.close();
    }

    /** Runs {@code task} on the loop and waits for it (the test thread is no event loop). */
    private static <T> T onLoop(LoopContext loop, Callable<T> task) throws Exception {
        return loop.loop().submit(task).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the loop ran everything queued so far, and the flushes those queued. */
    private static void settle(LoopContext loop) throws Exception {
        onLoop(loop, () -> null);
        onLoop(loop, () -> null);
    }

    /** A connection served by {@code loop}, joined to the channel there. */
    private Session member(LoopContext loop, String clientId) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        Outbound outbound = new Outbound(channel, loop, 1 << 20, SlowConsumerPolicy.CLOSE, new Outbound.Listener() {
            @Override
            public void dropped(int bytes) {
            }

            @Override
            public void slowConsumer(Channel ch, long pendingBytes) {
            }
        });
        Session session = new Session(channel, loop, outbound, Principal.ANONYMOUS, clientId, Instant.EPOCH);
        outbound.bind(session);
        assertThat(onLoop(loop, () -> hub.join(session, KEY)).joined()).isTrue();
        return session;
    }

    private Envelope publication(int n) {
        Inbound inbound = codec.decode(("{\"type\":\"message\",\"room\":\"science\",\"channel\":\"fanout\","
                + "\"payload\":{\"n\":" + n + "}}").getBytes(StandardCharsets.UTF_8));
        return ((Inbound.Message) inbound).envelope();
    }

    /** The publications the member's connection was sent, as JSON, in the order written. */
    private static List<JsonNode> received(Session member) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        EmbeddedChannel channel = (EmbeddedChannel) member.channel();
        onLoop(member.loop(), () -> {
            for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
                try {
                    out.add(JSON.readTree(FrameEncoder.jsonOf(frame).toString(StandardCharsets.UTF_8)));
                } finally {
                    frame.release();
                }
            }
            return null;
        });
        return out;
    }

    @Test
    void aPublicationIsHandedOncePerLoopInOffsetOrderToEveryMemberButTheSender() throws Exception {
        LoopContext first = loops.get(0);
        LoopContext second = loops.get(1);
        LoopContext third = loops.get(2);
        Session sender = member(first, "arq_client_sender");
        List<Session> others = List.of(member(first, "arq_client_a"), member(first, "arq_client_b"),
                member(second, "arq_client_c"), member(second, "arq_client_d"), member(second, "arq_client_e"));
        // The third loop serves no member of the channel.
        int[] before = {counted(first), counted(second), counted(third)};

        int publications = 50;
        onLoop(first, () -> {
            for (int n = 0; n < publications; n++) {
                hub.publish(sender, publication(n));
            }
            return null;
        });
        for (int i = 0; i < loops.size(); i++) {
            settle(loops.get(i));
        }

        assertThat(counted(first) - before[0]).as("tasks handed to the first loop").isEqualTo(publications);
        assertThat(counted(second) - before[1]).as("tasks handed to the second loop").isEqualTo(publications);
        assertThat(counted(third) - before[2]).as("tasks handed to the loop without members").isZero();
        assertThat(received(sender)).as("the sender's own publications").isEmpty();
        for (Session member : others) {
            List<JsonNode> frames = received(member);
            assertThat(frames).as(member.clientId()).hasSize(publications);
            for (int n = 0; n < publications; n++) {
                JsonNode frame = frames.get(n);
                assertThat(frame.path("payload").path("n").asInt()).isEqualTo(n);
                assertThat(frame.path("sender").asText()).isEqualTo("arq_client_sender");
                assertThat(frame.path("metadata").path("offset").asLong()).as(member.clientId() + " #" + n)
                        .isEqualTo(frames.get(0).path("metadata").path("offset").asLong() + n);
            }
        }
    }

    @Test
    void theMembersSharesHoldThePublicationsOnlyReferencesAndTheSkippedSendersIsGivenBack() throws Exception {
        LoopContext first = loops.get(0);
        LoopContext second = loops.get(1);
        Session sender = member(first, "arq_client_sender");
        List<Session> others = List.of(member(first, "arq_client_a"), member(second, "arq_client_b"),
                member(second, "arq_client_c"));
        onLoop(first, () -> {
            hub.publish(sender, publication(1));
            return null;
        });
        for (int i = 0; i < loops.size(); i++) {
            settle(loops.get(i));
        }

        List<ByteBuf> shares = new ArrayList<>();
        for (Session member : others) {
            EmbeddedChannel channel = (EmbeddedChannel) member.channel();
            onLoop(member.loop(), () -> {
                for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
                    shares.add(frame);
                }
                return null;
            });
        }
        ByteBuf frame = root(shares.get(0));
        try {
            assertThat(shares).as("one share per member but the sender").hasSize(others.size());
            assertThat(shares).allSatisfy(share -> assertThat(root(share)).isSameAs(frame));
            assertThat(frame.refCnt()).as("references left on the frame: one per member's share")
                    .isEqualTo(others.size());
        } finally {
            shares.forEach(ByteBuf::release);
        }
        assertThat(frame.refCnt()).as("references left once every member's share was written").isZero();
    }

    /** The buffer a share (and the leak detector's wrapper around it) stands for. */
    private static ByteBuf root(ByteBuf buffer) {
        ByteBuf root = buffer;
        while (root.unwrap() != null) {
            root = root.unwrap();
        }
        return root;
    }

    private static int counted(LoopContext loop) {
        return ((CountingLoop) loop.loop()).hubTasks.get();
    }
}
