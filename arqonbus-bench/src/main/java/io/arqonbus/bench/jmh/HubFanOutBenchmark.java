package io.arqonbus.bench.jmh;

import io.arqonbus.server.internal.reply.Replies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.internal.history.MemoryHistoryStore;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContext;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Outbound;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hub's cost per publication: stamp, store in the history ring, encode once, and fan out to
 * N subscribers on one event loop, each write going through the real {@link Outbound} (budget
 * check, write, batched flush) of an in-process Netty {@link LocalChannel}; the peer counts and
 * releases. One operation is one publication delivered to every subscriber, so deliveries/s is
 * the score times {@code subscribers}.
 *
 * <pre>java -cp arqonbus-cli/target/arqon.jar org.openjdk.jmh.Main HubFanOutBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class HubFanOutBenchmark {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Param({"100", "1000"})
    public int subscribers;

    private DefaultEventLoopGroup group;
    private Hub hub;
    private Envelope envelope;
    private final AtomicLong received = new AtomicLong();
    private final List<Channel> channels = new ArrayList<>();
    private long expected;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        group = new DefaultEventLoopGroup(1);
        Clock clock = Clock.systemUTC();
        IdGenerator ids = new IdGenerator();
        EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
        LoopContexts loops = new LoopContexts(group);
        hub = new Hub(loops, new MemoryHistoryStore(10_000, Duration.ofHours(1), clock, codec), java.util.Map.of(),
                new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT), new BusMetrics(), ids, clock);

        LocalAddress address = new LocalAddress("hub-fanout-" + System.nanoTime());
        ConcurrentLinkedQueue<Channel> accepted = new ConcurrentLinkedQueue<>();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        accepted.add(ch);
                    }
                })
                .bind(address).sync().channel();
        channels.add(server);
        Bootstrap client = new Bootstrap()
                .group(group)
                .channel(LocalChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new CountingSink(received));
        for (int i = 0; i < subscribers; i++) {
            channels.add(client.connect(address).sync().channel());
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (accepted.size() < subscribers) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("only " + accepted.size() + " of " + subscribers + " accepted");
            }
            Thread.onSpinWait();
        }
        ChannelKey key = ChannelKey.of("bench", "fanout");
        int i = 0;
        for (Channel child : accepted) {
            LoopContext loop = loops.of(child.eventLoop());
            Outbound outbound = new Outbound(child, loop, 64L << 20, SlowConsumerPolicy.CLOSE, new Outbound.Listener() {
                @Override
                public void dropped(int bytes) {
                }

                @Override
                public void slowConsumer(Channel channel, long pendingBytes) {
                    throw new IllegalStateException("a benchmark subscriber fell behind by " + pendingBytes);
                }
            });
            Session session = new Session(child, loop, outbound, Principal.ANONYMOUS,
                    String.format("arq_client_%032x", i++), Instant.now());
            outbound.bind(session);
            child.eventLoop().submit(() -> hub.join(session, key)).sync();
            channels.add(child);
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("bseq", 1).put("bt", 1L).put("pad", "x".repeat(80));
        envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.MESSAGE)
                .room("bench").channel("fanout").sender(Replies.SERVER_SENDER).payload(payload).build();
    }

    /** One publication, returned once every subscriber received it. */
    @Benchmark
    public long publishToAll() throws TimeoutException {
        expected += subscribers;
        hub.publish(null, envelope);
        long deadline = System.nanoTime() + WAIT_NANOS;
        long now;
        while ((now = received.get()) < expected) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("delivered " + now + " of " + expected);
            }
            Thread.onSpinWait();
        }
        return now;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The subscriber side: counts each delivered frame and releases it. */
    private static final class CountingSink extends ChannelInboundHandlerAdapter {
        private final AtomicLong received;

        CountingSink(AtomicLong received) {
            this.received = received;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            received.lazySet(received.get() + 1);
        }
    }
}
