package io.arqonbus.server.internal.cluster;

import static io.arqonbus.server.internal.cluster.ControlNodes.data;
import static io.arqonbus.server.internal.cluster.ControlNodes.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durable cron jobs are cluster state: a job scheduled on one node is held by the nodes that were
 * already running, fires once per schedule in the cluster, goes on from another node when its node
 * is gone (without giving its lease up), and a cancel on any node ends it on every node. Three
 * nodes in this JVM on a real redis-server, real WebSocket clients.
 */
@ExtendWith(TestRedis.class)
class ClusterCronStateTest {
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration T = ControlNodes.T;

    private final TestRedis redis;
    private ControlNodes nodes;

    ClusterCronStateTest(TestRedis redis) {
        this.redis = redis;
    }

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static String jobs(TestClient admin) throws Exception {
        return data(reply(admin, "op.cron.list", "{}")).path("jobs").toString();
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

    @Test
    void aJobScheduledOnOneNodeGoesOnFromAnotherWhenThatNodeIsGoneAndACancelAnywhereEndsIt() throws Exception {
        nodes = new ControlNodes(redis.config(), b -> b.cron(c -> c.withLeaseTime(LEASE)), "a", "b", "c");
        String jobId = data(reply(nodes.admin(0), "op.cron.schedule", "{\"room\":\"ops\",\"channel\":\"tick\","
                + "\"cron\":\"* * * * * *\",\"durable\":true,\"payload\":{\"k\":\"v\"}}")).path("job_id").asText();
        // B and C were running before the job was scheduled: they hold it through the control plane.
        TestClient onB = nodes.admin(1);
        TestClient onC = nodes.admin(2);
        await().atMost(T).until(() -> jobs(onB).contains(jobId) && jobs(onC).contains(jobId));
        for (TestClient member : List.of(onB, onC)) {
            data(member.joinChannel("ops", "tick").get(T.toMillis(), TimeUnit.MILLISECONDS));
        }
        List<String> before = ticks(onB, jobId, Duration.ofSeconds(4));
        assertThat(before).as("about one run a second").hasSizeGreaterThanOrEqualTo(3);
        assertThat(new HashSet<>(before)).as("once per tick in the cluster: %s", before).hasSameSizeAs(before);

        nodes.stop(0); // the node the job was scheduled on is gone; a lease it held must expire
        onC.drain();
        List<String> after = ticks(onC, jobId, LEASE.plusSeconds(5));
        assertThat(after).as("goes on from another node within the lease time").hasSizeGreaterThanOrEqualTo(4);
        assertThat(new HashSet<>(after)).as("still once per tick: %s", after).hasSameSizeAs(after);

        data(reply(onC, "op.cron.cancel", "{\"job_id\":\"" + jobId + "\"}"));
        await().atMost(T).until(() -> !jobs(onB).contains(jobId));
        onB.drain();
        assertThat(ticks(onB, jobId, Duration.ofSeconds(2))).as("cancelled on every node").isEmpty();
    }
}
