package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.internal.history.RedisHistoryStore;
import io.arqonbus.server.internal.hub.Broker;
import io.arqonbus.server.internal.hub.BrokerContract;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link Broker} contract, against the cluster's broker on a real redis-server. */
@ExtendWith(TestRedis.class)
class RedisBrokerContractTest extends BrokerContract {
    private final TestRedis redis;
    private final List<RedisLink> links = new ArrayList<>();

    RedisBrokerContractTest(TestRedis redis) {
        this.redis = redis;
    }

    @Override
    protected Broker create() {
        RedisLink link = new RedisLink(redis.config());
        links.add(link);
        Clock clock = Clock.systemUTC();
        EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
        RedisHistoryStore history = new RedisHistoryStore(link, 1000, Duration.ofHours(1), clock, codec);
        history.open();
        return new RedisBroker(link, "node-a", 1000, history, new FrameEncoder(codec, UnpooledByteBufAllocator.DEFAULT),
                codec, new SimpleMeterRegistry()).start();
    }

    @AfterEach
    void closeLinks() {
        links.forEach(RedisLink::close);
    }
}
