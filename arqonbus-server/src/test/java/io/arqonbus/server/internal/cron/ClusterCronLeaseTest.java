package io.arqonbus.server.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A durable cron job in a cluster fires once per schedule in the whole cluster, on the node that
 * holds its lease in Redis; when that node dies, another takes the lease over within the lease
 * time and the job goes on firing once per schedule. Real nodes in this JVM, a real redis-server.
 */
@ExtendWith(TestRedis.class)
class ClusterCronLeaseTest {
    private static final String SECRET = "cluster-cron-test-secret-0123456789abcdef";
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private final TestRedis redis;
    private final RedisConfig shared;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    ClusterCronLeaseTest(TestRedis redis) {
        this.redis = redis;
        this.shared = redis.config();
    }

    @AfterEach
    void stop() throws Exception {
        for (ArqonBusExtension node : nodes) {
            node.stop();
        }
        for (AutoCloseable each : closing) {
            each.close();
        }
    }

    private RedisCronLease lease(String node) {
        RedisLink link = new RedisLink(shared);
        closing.add(link);
        RedisCronLease lease = new RedisCronLease(link, node, LEASE);
        closing.add(0, lease);
        return lease;
    }

    @Test
    void oneNodeHoldsALeaseRenewsItAndAnotherTakesItOverWhenItStops() {
        RedisCronLease a = lease("node-a");
        RedisCronLease b = lease("node-b");
        assertThat(a.claim("cron_job1")).isTrue();
        assertThat(b.claim("cron_job1")).as("held by node-a").isFalse();
        assertThat(b.claim("cron_job2")).as("another job's lease is free").isTrue();
        // node-a renews its lease by itself: node-b cannot take it for three lease times.
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(4)).until(() -> !b.claim("cron_job1"));
        assertThat(a.claim("cron_job1")).as("still node-a's").isTrue();

        a.close(); // node-a dies: no more renewals
        await().atMost(LEASE.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).until(() -> b.claim("cron_job1"));
        assertThat(a.claim("cron_job1")).as("now node-b's").isFalse();

        b.release("cron_job1");
        RedisCronLease c = lease("node-c");
        assertThat(c.claim("cron_job1")).as("a released lease is free at once").isTrue();
    }

    private ArqonBusExtension node(String id) {
        ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId(id)
                .authEnabled(true).jwtSecret(SECRET).cron(c -> c.withLeaseTime(LEASE)));
        node.start();
        nodes.add(node);
        return node;
    }

    private static TestClient admin(ArqonBusExtension node) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("root").claim("role", "admin")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return node.connect(Map.of("Authorization", "Bearer " + jwt.serialize()));
    }

    /** The seconds (of the publication's timestamp) of the job's ticks {@code member} receives during {@code span}. */
    private static List<String> ticks(TestClient member, String jobId, Duration span) throws Exception {
        List<String> seconds = new ArrayList<>();
        long end = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < end) {
            JsonNode frame = member.poll(Duration.ofMillis(200));
            if (frame != null && "message".equals(frame.path("type").asText())
                    && jobId.equals(frame.path("metadata").path("cron_job_id").asText())) {
                seconds.add(frame.path("timestamp").asText().substring(0, 19));
            }
        }
        return seconds;
    }

    private String holder(String jobId) {
        RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            if (shared.database() != 0) {
                conn.sync().select(shared.database());
            }
            return conn.sync().get(shared.keyPrefix() + "cron-lease:" + jobId);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aDurableJobFiresOncePerScheduleInTheClusterAndGoesOnWhenItsHolderDies() throws Exception {
        ArqonBusExtension first = node("node-a");
        TestClient root = admin(first);
        JsonNode reply = root.command("op.cron.schedule", TestClient.object().put("room", "ops").put("channel", "tick")
                .put("cron", "* * * * * *").put("durable", true).set("payload", TestClient.object().put("k", "v")))
                .get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("reply %s", reply).isEqualTo("success");
        String jobId = reply.path("payload").path("data").path("job_id").asText();
        // The other nodes restore the durable job from Redis at their start: all three hold it.
        node("node-b");
        node("node-c");
        List<TestClient> members = new ArrayList<>();
        for (ArqonBusExtension node : nodes) {
            TestClient member = admin(node);
            JsonNode list = member.command("op.cron.list", TestClient.object()).get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(list.path("payload").path("data").path("jobs").get(0).path("job_id").asText())
                    .as("%s holds the job", node).isEqualTo(jobId);
            member.joinChannel("ops", "tick").get(T.toMillis(), TimeUnit.MILLISECONDS);
            members.add(member);
        }
        List<String> before = ticks(members.get(1), jobId, Duration.ofSeconds(4));
        assertThat(before).as("about one run a second").hasSizeGreaterThanOrEqualTo(3);
        assertThat(new HashSet<>(before)).as("once per tick in the cluster: %s", before).hasSameSizeAs(before);

        String holder = holder(jobId);
        int dead = List.of("node-a", "node-b", "node-c").indexOf(holder);
        assertThat(dead).as("the lease names a node: %s", holder).isNotNegative();
        nodes.get(dead).stop(); // the holder is gone; its lease is not given up, it must expire
        TestClient survivor = members.get(dead == 0 ? 1 : 0);
        survivor.drain();

        List<String> after = ticks(survivor, jobId, LEASE.plusSeconds(5));
        assertThat(after).as("taken over within the lease time").hasSizeGreaterThanOrEqualTo(4);
        assertThat(new HashSet<>(after)).as("still once per tick: %s", after).hasSameSizeAs(after);
        assertThat(holder(jobId)).isNotEqualTo(holder).isIn("node-a", "node-b", "node-c");
        nodes.remove(dead);
    }
}
