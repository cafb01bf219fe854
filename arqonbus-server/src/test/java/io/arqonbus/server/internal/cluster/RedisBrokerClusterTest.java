package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.RedisHistoryStore;
import io.arqonbus.server.internal.history.RedisKeys;
import io.arqonbus.server.internal.hub.BrokerEventHandler;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.SequencingOutcome;
import io.arqonbus.server.internal.hub.UnpositionedPublication;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.testing.TestRedis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two cluster brokers ("nodes") on one real redis-server: what one sequences reaches both in offset
 * order; an idempotency key repeated through the other node
 * answers the first position; a publication whose publish/subscribe message was lost is filled from
 * the stream, before the next one, or by the head sweep when nothing follows it.
 */
@ExtendWith(TestRedis.class)
class RedisBrokerClusterTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final ChannelKey STREAM = ChannelKey.of("science", "explore");

    private final Clock clock = Clock.systemUTC();
    private final IdGenerator ids = new IdGenerator();
    private final EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
    private final FrameEncoder encoder = new FrameEncoder(codec, UnpooledByteBufAllocator.DEFAULT);
    private final RedisConfig config;
    private final List<RedisLink> links = new ArrayList<>();
    private final List<RedisBroker> brokers = new ArrayList<>();

    RedisBrokerClusterTest(TestRedis redis) {
        this.config = redis.config();
    }

    @AfterEach
    void close() {
        brokers.forEach(RedisBroker::close);
        links.forEach(RedisLink::close);
    }

    private RedisBroker node(String id) {
        RedisLink link = new RedisLink(config);
        links.add(link);
        RedisHistoryStore history = new RedisHistoryStore(link, 1000, Duration.ofHours(1), clock, codec);
        history.open();
        RedisBroker broker = new RedisBroker(link, id, 1000, history, encoder, codec, new SimpleMeterRegistry()).start();
        brokers.add(broker);
        return broker;
    }

    /** One delivery: the offset and the payload's n. */
    private record Got(long offset, int n) {
    }

    private static BrokerEventHandler recorder(List<Got> into) {
        return (stream, position, publication) -> {
            into.add(new Got(position.offset(), publication.envelope().payload().path("n").asInt()));
            publication.frame().release();
        };
    }

    private UnpositionedPublication publication(int n, String idempotencyKey) {
        Envelope envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.MESSAGE)
                .room(STREAM.room()).channel(STREAM.channel()).sender("arq_client_x")
                .payload(JsonNodeFactory.instance.objectNode().put("n", n)).build();
        byte[] json = encoder.json(envelope.toBuilder().position(new StreamPosition(0, "e1")).build());
        String text = new String(json, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("\"offset\":0,\"epoch\":\"e1\"");
        int from = at + "\"offset\":".length();
        int to = at + "\"offset\":0,\"epoch\":\"e1\"".length();
        return new UnpositionedPublication(envelope, json, from, to, "e1",
                null, idempotencyKey, Duration.ofMinutes(5), false);
    }

    /** Sequences a publication in Redis as a node would, but publishes it where no node listens: a lost message. */
    private void sequenceLost(int n) throws Exception {
        RedisLink link = links.get(0);
        StatefulRedisConnection<byte[], byte[]> conn = link.connection("lost", ByteArrayCodec.INSTANCE)
                .get(5, TimeUnit.SECONDS);
        RedisKeys keys = new RedisKeys(config.keyPrefix());
        UnpositionedPublication p = publication(n, null);
        byte[][] k = {keys.stream(STREAM), keys.meta(STREAM), "-".getBytes(StandardCharsets.UTF_8)};
        byte[][] args = {b("e1"), b("1000"), java.util.Arrays.copyOfRange(p.json(), 0, p.spliceFrom()),
            java.util.Arrays.copyOfRange(p.json(), p.spliceTo(), p.json().length), b("1"), b("0"), b("nowhere"),
            b("lost|0")};
        conn.sync().eval(ClusterScripts.SEQUENCE, ScriptOutputType.MULTI, k, args);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatOneNodeSequencesReachesEveryNodeInOffsetOrder() {
        RedisBroker a = node("a");
        RedisBroker b = node("b");
        List<Got> onA = new CopyOnWriteArrayList<>();
        List<Got> onB = new CopyOnWriteArrayList<>();
        a.subscribe(STREAM, recorder(onA));
        b.subscribe(STREAM, recorder(onB));
        await().atMost(T).until(() -> a.isSubscribed(STREAM) && b.isSubscribed(STREAM));

        List<SequencingOutcome> outcomes = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            outcomes.add(a.sequence(STREAM, publication(n, null)).join());
        }

        await().atMost(T).until(() -> onA.size() == 50 && onB.size() == 50);
        assertThat(onB).extracting(Got::n).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
        assertThat(onB).extracting(Got::offset).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(onA).extracting(Got::offset).containsExactlyElementsOf(onB.stream().map(Got::offset).toList());
        assertThat(outcomes).extracting(o -> o.position().offset()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(outcomes).allSatisfy(o -> assertThat(o.position().epoch()).isEqualTo("e1"));
    }

    @Test
    void anIdempotencyKeyRepeatedThroughAnotherNodeAnswersTheFirstPositionAndIsNotSentAgain() {
        RedisBroker a = node("a");
        RedisBroker b = node("b");
        List<Got> onB = new CopyOnWriteArrayList<>();
        b.subscribe(STREAM, recorder(onB));
        await().atMost(T).until(() -> b.isSubscribed(STREAM));

        SequencingOutcome first = a.sequence(STREAM, publication(1, "k-1")).join();
        SequencingOutcome retry = b.sequence(STREAM, publication(1, "k-1")).join();
        SequencingOutcome next = a.sequence(STREAM, publication(2, "k-2")).join();

        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(next.position().offset()).isEqualTo(first.position().offset() + 1);
        await().atMost(T).until(() -> onB.size() == 2);
        assertThat(onB).extracting(Got::n).containsExactly(1, 2);
    }

    @Test
    void aLostMessageIsFilledFromTheStreamBeforeTheNextOne() throws Exception {
        RedisBroker a = node("a");
        RedisBroker b = node("b");
        List<Got> onB = new CopyOnWriteArrayList<>();
        b.subscribe(STREAM, recorder(onB));
        await().atMost(T).until(() -> b.isSubscribed(STREAM));
        a.sequence(STREAM, publication(1, null)).join();
        await().atMost(T).until(() -> onB.size() == 1);

        sequenceLost(2);
        sequenceLost(3);
        a.sequence(STREAM, publication(4, null)).join();

        await().atMost(T).until(() -> onB.size() == 4);
        assertThat(onB).extracting(Got::n).containsExactly(1, 2, 3, 4);
        assertThat(onB).extracting(Got::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(b.gapsFilledTotal()).isEqualTo(2);
    }

    @Test
    void aLostLastMessageIsFilledByTheHeadSweep() throws Exception {
        RedisBroker a = node("a");
        RedisBroker b = node("b");
        List<Got> onB = new CopyOnWriteArrayList<>();
        b.subscribe(STREAM, recorder(onB));
        await().atMost(T).until(() -> b.isSubscribed(STREAM));
        a.sequence(STREAM, publication(1, null)).join();
        await().atMost(T).until(() -> onB.size() == 1);

        sequenceLost(2);

        await().atMost(T).until(() -> onB.size() == 2);
        assertThat(onB).extracting(Got::offset).containsExactly(1L, 2L);
    }
}
