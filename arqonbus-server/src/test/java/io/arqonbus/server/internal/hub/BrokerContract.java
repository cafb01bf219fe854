package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} does, run against each implementation by a subclass that says how to
 * make one: each publication of a subscribed stream reaches the handler once, in the order
 * published for that stream, with its position; a stream not subscribed (or no longer) gets
 * nothing; after {@code close} nothing is delivered; every frame is handed on or released. The
 * handler may be called on a thread of the broker's own, so results are awaited with a deadline.
 */
public abstract class BrokerContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    protected static final ChannelKey EXPLORE = ChannelKey.of("science", "explore");
    protected static final ChannelKey SHARE = ChannelKey.of("science", "share");
    protected static final ChannelKey OTHER = ChannelKey.of("ops", "alerts");
    protected static final ChannelKey ROOM = ChannelKey.roomWide("science");
    private static final String EPOCH = "e1";

    private final Clock clock = Clock.systemUTC();
    private final IdGenerator ids = new IdGenerator();
    private final FrameEncoder encoder = new FrameEncoder(new EnvelopeCodec(ids, clock),
            UnpooledByteBufAllocator.DEFAULT);
    private final List<Broker> opened = new ArrayList<>();
    private final List<ByteBuf> published = new CopyOnWriteArrayList<>();
    /** What the handler received, in arrival order. */
    protected final List<Received> received = new CopyOnWriteArrayList<>();

    /** One delivery to the handler: the stream, the position, and the payload's {@code n}. */
    protected record Received(ChannelKey stream, StreamPosition position, int n, String thread) {
    }

    /** A new broker, connected to whatever it needs, with no handler and no subscriptions. */
    protected abstract Broker create();

    /** A handler that records into {@link #received} and releases the frame. */
    protected final BrokerEventHandler recorder = (stream, position, publication) -> {
        try {
            received.add(new Received(stream, position, publication.envelope().payload().path("n").asInt(),
                    Thread.currentThread().getName()));
        } finally {
            publication.frame().release();
        }
    };

    /** A broker made by {@link #create}, closed after the test. */
    protected Broker broker() {
        Broker broker = create();
        opened.add(broker);
        return broker;
    }

    @AfterEach
    void closeBrokers() {
        for (Broker broker : opened) {
            broker.close();
        }
    }

    /** Publication {@code n} of the stream at offset {@code n} (a channel's carries its position). */
    protected void publish(Broker broker, ChannelKey stream, int n) {
        StreamPosition position = new StreamPosition(n, EPOCH);
        Envelope.Builder builder = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.MESSAGE)
                .room(stream.room()).channel(stream.channel()).sender("arq_client_x")
                .payload(JsonNodeFactory.instance.objectNode().put("n", n));
        if (stream.channel() != null) {
            builder.position(position);
        }
        Envelope envelope = builder.build();
        ByteBuf frame = encoder.encode(envelope);
        published.add(frame);
        broker.publish(stream, position, new SequencedPublication(envelope, frame, null));
    }

    private List<Integer> of(ChannelKey stream) {
        return received.stream().filter(r -> r.stream().equals(stream)).map(Received::n).toList();
    }

    private static List<Integer> upTo(int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(i);
        }
        return out;
    }

    /** Waits until the marker publication {@code n} of {@code stream} arrived: what was published before it on that stream did too. */
    private void awaitMarker(ChannelKey stream, int n) {
        await().atMost(TIMEOUT).until(() -> of(stream).contains(n));
    }

    @Test
    void deliversEachPublicationOfASubscribedStreamOnceInOrderWithItsPosition() {
        Broker broker = broker();
        broker.subscribe(EXPLORE, recorder);
        for (int n = 1; n <= 200; n++) {
            publish(broker, EXPLORE, n);
        }

        await().atMost(TIMEOUT).until(() -> received.size() >= 200);
        assertThat(of(EXPLORE)).containsExactlyElementsOf(upTo(200));
        assertThat(received).allSatisfy(r -> {
            assertThat(r.position().offset()).isEqualTo(r.n());
            assertThat(r.position().epoch()).isEqualTo(EPOCH);
        });
    }

    @Test
    void keepsEachStreamInOrderWhenStreamsArePublishedFromSeveralThreads() throws Exception {
        Broker broker = broker();
        List<ChannelKey> streams = List.of(EXPLORE, SHARE, OTHER, ROOM);
        streams.forEach(stream -> broker.subscribe(stream, recorder));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (ChannelKey stream : streams) {
            // One thread per stream: the publisher (the channel) keeps a stream's order.
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 1; n <= 300; n++) {
                    publish(broker, stream, n);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TIMEOUT.toMillis());
        }

        await().atMost(TIMEOUT).until(() -> received.size() >= 4 * 300);
        assertThat(received).hasSize(4 * 300);
        for (ChannelKey stream : streams) {
            assertThat(of(stream)).as("%s", stream).containsExactlyElementsOf(upTo(300));
        }
    }

    @Test
    void aStreamNotSubscribedOrNoLongerSubscribedGetsNothing() {
        Broker broker = broker();
        broker.subscribe(EXPLORE, recorder);
        broker.subscribe(SHARE, recorder);
        publish(broker, SHARE, 1);
        awaitMarker(SHARE, 1);
        broker.unsubscribe(SHARE);

        publish(broker, OTHER, 1);
        publish(broker, SHARE, 2);
        publish(broker, EXPLORE, 1);
        awaitMarker(EXPLORE, 1);

        assertThat(of(OTHER)).isEmpty();
        assertThat(of(SHARE)).containsExactly(1);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(published).allSatisfy(frame -> assertThat(frame.refCnt()).isZero()));
    }

    @Test
    void aStreamSubscribedAgainReceivesWhatIsPublishedFromThen() {
        Broker broker = broker();
        broker.subscribe(EXPLORE, recorder);
        broker.unsubscribe(EXPLORE);
        broker.subscribe(EXPLORE, recorder);
        publish(broker, EXPLORE, 1);

        awaitMarker(EXPLORE, 1);
        assertThat(of(EXPLORE)).containsExactly(1);
    }

    @Test
    void closeStopsDeliveriesReleasesWhatIsPublishedAfterAndMayBeRepeated() {
        Broker broker = broker();
        broker.subscribe(EXPLORE, recorder);
        publish(broker, EXPLORE, 1);
        awaitMarker(EXPLORE, 1);

        broker.close();
        publish(broker, EXPLORE, 2);
        broker.close();

        assertThat(of(EXPLORE)).containsExactly(1);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(published).allSatisfy(frame -> assertThat(frame.refCnt()).isZero()));
        assertThat(of(EXPLORE)).containsExactly(1);
    }

    @Test
    void theHandlerOwnsTheFrameItIsGiven() {
        Broker broker = broker();
        List<ByteBuf> handed = new CopyOnWriteArrayList<>();
        broker.subscribe(EXPLORE, (stream, position, publication) -> handed.add(publication.frame()));
        publish(broker, EXPLORE, 1);

        await().atMost(TIMEOUT).until(() -> handed.size() == 1);
        assertThat(handed.get(0).refCnt()).isEqualTo(1);
        handed.get(0).release();
        assertThat(published).allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
    }

    @Test
    void eachStreamGoesToTheHandlerItWasSubscribedWith() {
        Broker broker = broker();
        List<String> seen = new CopyOnWriteArrayList<>();
        broker.subscribe(EXPLORE, (stream, position, publication) -> {
            seen.add("a " + stream);
            publication.frame().release();
        });
        broker.subscribe(SHARE, (stream, position, publication) -> {
            seen.add("b " + stream);
            publication.frame().release();
        });
        publish(broker, EXPLORE, 1);
        publish(broker, SHARE, 1);

        await().atMost(TIMEOUT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactlyInAnyOrder("a " + EXPLORE, "b " + SHARE);
    }
}
