package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.MemoryHistoryStore;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.testing.MutableClock;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker is the one way publications take to fan-out: channel publications (in offset order,
 * with their position) and room broadcasts (under the room-wide stream) pass it, notices and
 * direct sends do not; channels subscribe their stream when made and unsubscribe it when deleted;
 * a publication the broker brings from elsewhere reaches the local listeners; closing the hub closes it.
 */
class HubBrokerSeamTest {
    private static final ChannelKey KEY = ChannelKey.of("orders", "placed");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final IdGenerator ids = new IdGenerator();
    private final EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
    private final FrameEncoder encoder = new FrameEncoder(codec, UnpooledByteBufAllocator.DEFAULT);
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final MemoryHistoryStore store = new MemoryHistoryStore(100, Duration.ofHours(1), clock, codec);
    private final RecordingBroker broker = new RecordingBroker();
    private final Hub hub = new Hub(new LoopContexts(group), store, Map.of(), encoder, new BusMetrics(), ids, clock,
            Duration.ofMinutes(5), 1_000, broker);
    private final List<Envelope> observed = new CopyOnWriteArrayList<>();

    /** The in-process broker, noting what passes through it. */
    private static final class RecordingBroker implements Broker {
        final InProcessBroker inner = new InProcessBroker();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<ChannelKey, BrokerEventHandler> handlers = new ConcurrentHashMap<>();
        boolean closed;

        @Override
        public void subscribe(ChannelKey stream, BrokerEventHandler handler) {
            calls.add("subscribe " + stream);
            handlers.put(stream, handler);
            inner.subscribe(stream, handler);
        }

        @Override
        public void unsubscribe(ChannelKey stream) {
            calls.add("unsubscribe " + stream);
            inner.unsubscribe(stream);
        }

        @Override
        public void publish(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
            calls.add("publish " + stream + " " + position.offset());
            inner.publish(stream, position, publication);
        }

        @Override
        public void close() {
            closed = true;
            inner.close();
        }
    }

    @AfterEach
    void close() {
        hub.close();
        store.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Envelope message(String room, String channel, int n) {
        return Envelope.builder(ids.nextId(), "2026-12-01T09:00:01.000Z", MessageType.MESSAGE)
                .room(room).channel(channel).sender("arq_client_p")
                .payload(JsonNodeFactory.instance.objectNode().put("n", n)).build();
    }

    @Test
    void publicationsAndBroadcastsPassTheBrokerNoticesAndDirectSendsDoNot() {
        hub.addListener((delivered, sender) -> observed.add(delivered));

        hub.publish(null, message("orders", "placed", 1));
        hub.publish(null, message("orders", "placed", 2));
        hub.broadcastToRoom(null, message("orders", null, 3));
        hub.send(KEY, message("orders", "placed", 4), null);

        assertThat(broker.calls).containsExactly("subscribe orders", "subscribe orders:placed",
                "publish orders:placed 1", "publish orders:placed 2", "publish orders 1");
        assertThat(observed).extracting(e -> e.payload().path("n").asInt()).containsExactly(1, 2, 3);
        assertThat(observed.get(1).position()).isEqualTo(new StreamPosition(2, observed.get(0).position().epoch()));
    }

    @Test
    void aDeletedChannelUnsubscribesItsStreamAndAChannelMadeAgainSubscribesIt() {
        hub.create(KEY, "arq_client_p", "dynamic", false);
        assertThat(hub.delete(KEY)).isEqualTo(Hub.DeleteOutcome.DELETED);
        hub.publish(null, message("orders", "placed", 1));

        assertThat(broker.calls).containsExactly("subscribe orders", "subscribe orders:placed",
                "unsubscribe orders:placed", "subscribe orders:placed", "publish orders:placed 1");
    }

    @Test
    void aPublicationTheBrokerBringsFromAnotherNodeReachesTheLocalListeners() {
        hub.create(KEY, "arq_client_p", "dynamic", false);
        hub.addListener((delivered, sender) -> observed.add(delivered));
        StreamPosition position = new StreamPosition(41, "e-remote");
        Envelope remote = message("orders", "placed", 9).toBuilder().position(position).build();

        broker.handlers.get(KEY).handlePublication(KEY, position, new SequencedPublication(remote, encoder.encode(remote), null));

        assertThat(observed).containsExactly(remote);
    }

    @Test
    void closingTheHubClosesItsBroker() {
        hub.addListener((delivered, sender) -> observed.add(delivered));
        hub.close();

        assertThat(broker.closed).isTrue();
        hub.publish(null, message("orders", "placed", 1));
        assertThat(observed).isEmpty();
    }
}
