package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.hub.MemberDirectory;
import io.arqonbus.server.internal.hub.MemberDirectoryContract;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link MemberDirectory} contract on three nodes of a cluster in this JVM, on a real redis-server. */
@ExtendWith(TestRedis.class)
class RedisMemberDirectoryContractTest extends MemberDirectoryContract {
    private final TestRedis redis;

    RedisMemberDirectoryContractTest(TestRedis redis) {
        this.redis = redis;
    }

    @Override
    protected List<ArqonBusExtension> startNodes() {
        RedisConfig shared = redis.config();
        List<ArqonBusExtension> nodes = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        return nodes;
    }
}
