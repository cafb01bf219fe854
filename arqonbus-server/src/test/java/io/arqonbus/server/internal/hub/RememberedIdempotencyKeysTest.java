package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.history.MemoryHistoryStore;
import io.arqonbus.server.internal.history.StoredIdempotencyKey;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.testing.MutableClock;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a restart on a durable store, the keys of publications stored within the dedup window are
 * remembered: a publisher retrying after a crash is answered with the stored offset, not stored twice.
 */
class RememberedIdempotencyKeysTest {
    private static final ChannelKey KEY = ChannelKey.of("orders", "placed");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final IdGenerator ids = new IdGenerator();
    private final EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final MemoryHistoryStore store = new MemoryHistoryStore(100, Duration.ofHours(1), clock, codec);
    private final Hub hub = new Hub(new LoopContexts(group), store,
            Map.of(KEY, new StreamPosition(7, "e-before")), new FrameEncoder(codec, UnpooledByteBufAllocator.DEFAULT),
            new BusMetrics(), ids, clock, Duration.ofMinutes(5), 1_000);

    @AfterEach
    void close() {
        store.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static StoredIdempotencyKey stored(long offset, String idempotencyKey, Instant at, EnvelopeCodec codec) {
        String json = "{\"id\":\"arq_m" + offset + "\",\"timestamp\":\"2026-12-01T09:00:00.000Z\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":{},\"args\":{},\"metadata\":{\"idempotency_key\":\"" + idempotencyKey
                + "\",\"offset\":" + offset + ",\"epoch\":\"e-before\"},\"room\":\"orders\",\"channel\":\"placed\","
                + "\"sender\":\"arq_client_p\"}";
        return StoredIdempotencyKey.of(StoredMessage.of(json.getBytes(StandardCharsets.UTF_8), offset, at, codec));
    }

    private Envelope message(String idempotencyKey) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put(Envelope.IDEMPOTENCY_KEY, idempotencyKey);
        return Envelope.builder(ids.nextId(), "2026-12-01T09:00:01.000Z", MessageType.MESSAGE)
                .room("orders").channel("placed").sender("arq_client_p").metadata(metadata).ack(Envelope.DURABLE_ACK)
                .build();
    }

    @Test
    void aRetryOfAPublicationStoredBeforeTheRestartIsADuplicateWithItsOffset() throws Exception {
        hub.rememberStored(KEY, List.of(stored(6, "order-1", clock.instant(), codec), stored(7, "order-2",
                clock.instant(), codec)));

        Publication retry = hub.publish(null, message("order-2"));
        Publication fresh = hub.publish(null, message("order-3"));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.stored().get()).isEqualTo(new StreamPosition(7, "e-before"));
        assertThat(fresh.duplicate()).isFalse();
        assertThat(fresh.stored().get()).isEqualTo(new StreamPosition(8, "e-before"));
    }

    @Test
    void keysOlderThanTheWindowAreNotRemembered() throws Exception {
        hub.rememberStored(KEY, List.of(stored(7, "order-old", clock.instant(), codec)));
        clock.advance(Duration.ofMinutes(6));

        Publication again = hub.publish(null, message("order-old"));

        assertThat(again.duplicate()).isFalse();
        assertThat(again.stored().get().offset()).isEqualTo(8);
    }
}
