package io.arqonbus.cli.crash;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code arqon serve --cluster} processes and one real redis-server: members on every node;
 * a channel publication accepted by node A arrives exactly once at the members on A, B and C, in
 * offset order; a room broadcast and a private message cross nodes; a durable publication retried
 * through another node is answered {@code duplicate:true}; a join with a position on node B
 * recovers what was published on node A.
 */
@Timeout(180)
class ClusterProcessTest {
    private static final Duration T = Duration.ofSeconds(15);
    private static final int COUNT = 300;

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private ServerProcess node(ExternalServer redis, String id) {
        ServerProcess node = ServerProcess.start(Map.of("ARQONBUS_CLUSTER_URL", RedisProcess.url(redis)),
                List.of("--node-id", id), dir.resolve(id + ".log"));
        opened.add(node);
        return node;
    }

    private TestClient client(ServerProcess node) throws Exception {
        TestClient client = TestClient.connect(node.uri()).get(10, TimeUnit.SECONDS);
        opened.add(client::abort);
        return client;
    }

    private static List<JsonNode> publications(TestClient client, String channel, int last) throws TimeoutException {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode frame = client.next(T);
            if ("message".equals(frame.path("type").asText()) && channel.equals(frame.path("channel").asText())) {
                out.add(frame);
                if (frame.path("payload").path("seq").asInt() == last) {
                    return out;
                }
            }
        }
    }

    @Test
    void threeNodeProcessesServeAsOneBus() throws Exception {
        ExternalServer redis = RedisProcess.start(dir);
        opened.add(redis);
        List<ServerProcess> nodes = List.of(node(redis, "node-a"), node(redis, "node-b"), node(redis, "node-c"));
        List<TestClient> members = new ArrayList<>();
        for (ServerProcess node : nodes) {
            TestClient member = client(node);
            member.joinChannel("science", "explore").get(10, TimeUnit.SECONDS);
            members.add(member);
        }
        TestClient publisher = client(nodes.get(0));
        JsonNode joined = publisher.joinChannel("science", "explore").get(10, TimeUnit.SECONDS);
        long startOffset = joined.path("payload").path("data").path("offset").asLong();
        String epoch = joined.path("payload").path("data").path("epoch").asText();

        // Channel publications from node A: once each, in offset order, on A, B and C.
        for (int seq = 1; seq <= COUNT; seq++) {
            publisher.publish("science", "explore", Map.of("seq", seq));
        }
        for (TestClient member : members) {
            List<JsonNode> got = publications(member, "explore", COUNT);
            assertThat(got).extracting(f -> f.path("payload").path("seq").asInt())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, COUNT).boxed().toList());
            assertThat(got).extracting(f -> f.path("metadata").path("offset").asLong())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, COUNT).mapToObj(i -> startOffset + i).toList());
            assertThat(member.poll(Duration.ofMillis(300))).as("nothing twice").isNull();
        }

        // A room broadcast from A reaches the room's members on B and C.
        ObjectNode broadcast = TestClient.object();
        broadcast.put("type", "message");
        broadcast.put("room", "science");
        broadcast.putObject("payload").put("broadcast", true);
        publisher.send(broadcast);
        for (TestClient member : members.subList(1, 3)) {
            member.await(f -> f.path("payload").path("broadcast").asBoolean() && f.path("channel").isMissingNode(), T);
        }

        // A private message from A to a client on C.
        ObjectNode privateMessage = TestClient.object();
        privateMessage.put("type", "private");
        privateMessage.putArray("to").add(members.get(2).clientId());
        privateMessage.putObject("payload").put("text", "psst");
        publisher.send(privateMessage);
        JsonNode got = members.get(2).await(f -> "private".equals(f.path("type").asText()), T);
        assertThat(got.path("sender").asText()).isEqualTo(publisher.clientId());

        // A durable publication retried through B after A answered: duplicate, same position.
        JsonNode first = durable(publisher, "arq_d_1", "key-1");
        JsonNode retry = durable(client(nodes.get(1)), "arq_d_2", "key-1");
        assertThat(first.path("type").asText()).as("%s", first).isEqualTo("ack");
        assertThat(retry.path("type").asText()).as("%s", retry).isEqualTo("ack");
        assertThat(retry.path("payload").path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("payload").path("offset").asLong())
                .isEqualTo(first.path("payload").path("offset").asLong());

        // A join with the position seen before the publications, on node B, recovers them all.
        TestClient late = client(nodes.get(1));
        ObjectNode args = TestClient.object();
        args.put("room", "science");
        args.put("channel", "explore");
        args.putObject("recover").put("offset", startOffset).put("epoch", epoch);
        JsonNode reply = late.command("join_channel", args).get(10, TimeUnit.SECONDS);
        assertThat(reply.path("payload").path("data").path("recovered").asBoolean()).as("%s", reply).isTrue();
        assertThat(publications(late, "explore", COUNT)).extracting(f -> f.path("payload").path("seq").asInt())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, COUNT).boxed().toList());
    }

    private static JsonNode durable(TestClient client, String id, String key) throws TimeoutException {
        ObjectNode frame = TestClient.object();
        frame.put("id", id);
        frame.put("type", "message");
        frame.put("room", "science");
        frame.put("channel", "explore");
        frame.put("ack", "durable");
        frame.putObject("metadata").put("idempotency_key", key);
        frame.putObject("payload").put("seq", -1);
        client.send(frame);
        return client.await(f -> ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()))
                && id.equals(f.path("request_id").asText()), T);
    }

    /**
     * Failover: a durable publisher on node C and one subscriber on each node; node C is killed
     * (SIGKILL) mid-stream; the publisher reconnects to node A and sends its unanswered messages
     * again with the same keys, the subscriber of C reconnects to node B and recovers by position.
     * At the end every acked message is in every subscriber's view exactly once, in offset order.
     */
    @Test
    void aNodeKilledMidStreamLosesNothingAckedAndDuplicatesNothing() throws Exception {
        ExternalServer redis = RedisProcess.start(dir);
        opened.add(redis);
        List<ServerProcess> nodes = List.of(node(redis, "node-a"), node(redis, "node-b"), node(redis, "node-c"));
        java.util.concurrent.atomic.AtomicReference<java.net.URI> publisherNode =
                new java.util.concurrent.atomic.AtomicReference<>(nodes.get(2).uri());
        java.util.concurrent.atomic.AtomicReference<java.net.URI> movedNode =
                new java.util.concurrent.atomic.AtomicReference<>(nodes.get(2).uri());
        List<RecoveringSubscriber> subscribers = List.of(
                new RecoveringSubscriber(() -> nodes.get(0).uri(), Duration.ofSeconds(120)),
                new RecoveringSubscriber(() -> nodes.get(1).uri(), Duration.ofSeconds(120)),
                new RecoveringSubscriber(movedNode::get, Duration.ofSeconds(120)));
        List<Thread> threads = new ArrayList<>();
        for (RecoveringSubscriber subscriber : subscribers) {
            threads.add(Thread.ofPlatform().name("subscriber").start(subscriber));
            subscriber.joined().get(30, TimeUnit.SECONDS);
        }
        int total = 3_000;
        RetryingPublisher publisher = new RetryingPublisher(total, 64, publisherNode::get, Duration.ofSeconds(100));
        threads.add(Thread.ofPlatform().name("publisher").start(publisher));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> publisher.acked() >= 1_000);
        movedNode.set(nodes.get(1).uri());
        publisherNode.set(nodes.get(0).uri());
        nodes.get(2).kill();
        RetryingPublisher.Outcome outcome = publisher.done().get(100, TimeUnit.SECONDS);
        for (RecoveringSubscriber subscriber : subscribers) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> subscriber.seen() >= outcome.ledger().acked());
            subscriber.stop();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        long acked = outcome.ledger().acked();
        for (RecoveringSubscriber subscriber : subscribers) {
            List<long[]> got = subscriber.received();
            java.util.Set<Long> seqs = new java.util.HashSet<>();
            long duplicates = 0;
            long lastOffset = 0;
            boolean inOrder = true;
            for (long[] message : got) {
                if (!seqs.add(message[0])) {
                    duplicates++;
                }
                inOrder &= message[1] > lastOffset;
                lastOffset = message[1];
            }
            long missing = java.util.stream.LongStream.rangeClosed(1, total)
                    .filter(outcome.ledger()::answered).filter(seq -> !seqs.contains(seq)).count();
            String note = "event=cluster_failover sent=" + total + " acked=" + acked + " received=" + got.size()
                    + " missing=" + missing + " duplicates=" + duplicates + " reconnects=" + subscriber.reconnects()
                    + " unrecovered=" + subscriber.unrecovered() + " publisher_reconnects=" + outcome.reconnects();
            System.out.println(note);
            assertThat(acked).as(note).isEqualTo(total);
            assertThat(missing).as(note).isZero();
            assertThat(duplicates).as(note).isZero();
            assertThat(inOrder).as(note).isTrue();
            assertThat(subscriber.unrecovered()).as(note).isZero();
        }
        assertThat(subscribers.get(2).reconnects()).isGreaterThanOrEqualTo(1);
    }
}
