package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three nodes of one cluster in this JVM on a real redis-server, with real WebSocket clients on
 * each: what one node accepts reaches the members on every node once, in offset order;
 * idempotency and recovery are the cluster's, not a node's. (The same with separate processes:
 * the cli module's ClusterProcessTest.)
 */
@ExtendWith(TestRedis.class)
class ClusterNodesTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private final TestRedis redis;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();

    ClusterNodesTest(TestRedis redis) {
        this.redis = redis;
    }

    @BeforeEach
    void startThreeNodes() {
        RedisConfig shared = redis.config();
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
    }

    @AfterEach
    void stopNodes() {
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
    }

    private TestClient on(int node) {
        return nodes.get(node).connect();
    }

    private static JsonNode join(TestClient client, String channel) throws Exception {
        return client.joinChannel("science", channel).get();
    }

    private static Predicate<JsonNode> message(String channel, int seq) {
        return f -> "message".equals(f.path("type").asText()) && channel.equals(f.path("channel").asText())
                && f.path("payload").path("seq").asInt() == seq;
    }

    /** The publications of {@code channel} a client received, up to the one with {@code last}. */
    private static List<JsonNode> received(TestClient client, String channel, int last) throws TimeoutException {
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
    void aPublicationOnOneNodeReachesTheMembersOnEveryNodeOnceInOffsetOrder() throws Exception {
        TestClient publisher = on(0);
        List<TestClient> members = List.of(on(0), on(1), on(2));
        for (TestClient member : members) {
            join(member, "explore");
        }
        join(publisher, "explore");
        for (int seq = 1; seq <= 100; seq++) {
            publisher.publish("science", "explore", Map.of("seq", seq));
        }

        for (TestClient member : members) {
            List<JsonNode> got = received(member, "explore", 100);
            assertThat(got).extracting(f -> f.path("payload").path("seq").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
            long first = got.get(0).path("metadata").path("offset").asLong();
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).path("metadata").path("offset").asLong()).isEqualTo(first + i);
                assertThat(got.get(i).path("metadata").path("epoch").asText())
                        .isEqualTo(got.get(0).path("metadata").path("epoch").asText());
                assertThat(got.get(i).path("sender").asText()).isEqualTo(publisher.clientId());
            }
            assertThat(member.poll(Duration.ofMillis(300))).as("nothing more").isNull();
            // (members that did not publish get no legacy acks)
        }
        assertThat(publisher.drain()).as("the sender does not get its own back")
                .noneMatch(f -> "message".equals(f.path("type").asText()));
    }

    @Test
    void aRoomBroadcastReachesTheRoomsMembersOnEveryNode() throws Exception {
        TestClient onB = on(1);
        TestClient onC = on(2);
        join(onB, "explore");
        join(onC, "share");
        TestClient sender = on(0);
        ObjectNode frame = TestClient.object();
        frame.put("type", "message");
        frame.put("room", "science");
        frame.putObject("payload").put("seq", 7);
        sender.send(frame);

        for (TestClient member : List.of(onB, onC)) {
            JsonNode got = member.await(f -> "message".equals(f.path("type").asText())
                    && f.path("payload").path("seq").asInt() == 7, T);
            assertThat(got.path("room").asText()).isEqualTo("science");
            assertThat(got.path("sender").asText()).isEqualTo(sender.clientId());
        }
    }

    @Test
    void aDurableRetryThroughAnotherNodeIsAnsweredDuplicateWithTheFirstPosition() throws Exception {
        TestClient onA = on(0);
        TestClient onB = on(1);
        TestClient member = on(2);
        join(member, "ledger");

        JsonNode first = publishDurable(onA, "arq_m_1", "key-1");
        JsonNode retry = publishDurable(onB, "arq_m_2", "key-1");

        assertThat(first.path("type").asText()).as("%s", first).isEqualTo("ack");
        assertThat(retry.path("type").asText()).as("%s", retry).isEqualTo("ack");
        assertThat(first.path("payload").path("duplicate").asBoolean()).isFalse();
        assertThat(retry.path("payload").path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("payload").path("offset").asLong()).isEqualTo(first.path("payload").path("offset").asLong());
        assertThat(retry.path("payload").path("epoch").asText()).isEqualTo(first.path("payload").path("epoch").asText());
        member.await(message("ledger", 1), T);
        assertThat(member.poll(Duration.ofMillis(500))).as("the retry is not delivered again").isNull();
    }

    private static JsonNode publishDurable(TestClient client, String id, String key) throws Exception {
        ObjectNode frame = TestClient.object();
        frame.put("id", id);
        frame.put("type", "message");
        frame.put("room", "science");
        frame.put("channel", "ledger");
        frame.put("ack", "durable");
        frame.putObject("metadata").put("idempotency_key", key);
        frame.putObject("payload").put("seq", 1);
        client.send(frame);
        return client.await(f -> ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()))
                && id.equals(f.path("request_id").asText()), T);
    }

    @Test
    void aJoinWithAPositionOnAnotherNodeRecoversWhatWasPublishedOnTheFirst() throws Exception {
        TestClient reader = on(0);
        JsonNode joined = join(reader, "recover");
        long offset = joined.path("payload").path("data").path("offset").asLong();
        String epoch = joined.path("payload").path("data").path("epoch").asText();
        TestClient publisher = on(0);
        for (int seq = 1; seq <= 5; seq++) {
            publisher.publish("science", "recover", Map.of("seq", seq));
        }
        reader.await(message("recover", 5), T);

        TestClient again = on(1);
        ObjectNode args = TestClient.object();
        args.put("room", "science");
        args.put("channel", "recover");
        args.putObject("recover").put("offset", offset).put("epoch", epoch);
        JsonNode reply = again.command("join_channel", args).get();

        assertThat(reply.path("payload").path("data").path("recovered").asBoolean()).as("%s / %s", joined, reply).isTrue();
        assertThat(received(again, "recover", 5)).extracting(f -> f.path("payload").path("seq").asInt())
                .containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aPrivateMessageReachesAClientOnAnotherNodeAndAnUnknownTargetIsAnsweredAsOnOneNode() throws Exception {
        TestClient sender = on(0);
        TestClient onB = on(1);
        TestClient onC = on(2);
        ObjectNode frame = TestClient.object();
        frame.put("id", "arq_pm_1");
        frame.put("type", "private");
        frame.putArray("to").add(onB.clientId()).add(onC.clientId()).add("arq_client_nobody");
        frame.putObject("payload").put("text", "psst");
        sender.send(frame);

        for (TestClient target : List.of(onB, onC)) {
            JsonNode got = target.await(f -> "private".equals(f.path("type").asText()), T);
            assertThat(got.path("payload").path("text").asText()).isEqualTo("psst");
            assertThat(got.path("sender").asText()).isEqualTo(sender.clientId());
        }
        JsonNode error = sender.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(error.path("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.path("request_id").asText()).isEqualTo("arq_pm_1");
        assertThat(error.path("payload").path("missing")).extracting(JsonNode::asText)
                .containsExactly("arq_client_nobody");
    }

    @Test
    void aClientThatTookAnotherIdIsReachableByItFromAnotherNodeAndNoLongerByTheFormerOne() throws Exception {
        TestClient sender = on(0);
        TestClient renamed = on(1);
        String former = renamed.clientId();
        renamed.sendText("{\"client_id\":\"agent-7\"}");
        renamed.sendText("{\"id\":\"arq_p\",\"type\":\"command\",\"command\":\"ping\"}");
        renamed.await(f -> "arq_p".equals(f.path("request_id").asText()), T);

        org.awaitility.Awaitility.await().atMost(T).untilAsserted(() -> {
            ObjectNode frame = TestClient.object();
            frame.put("type", "private");
            frame.putArray("to").add("agent-7");
            frame.putObject("payload").put("text", "found you");
            sender.send(frame);
            JsonNode got = renamed.poll(Duration.ofMillis(500));
            assertThat(got).isNotNull();
            assertThat(got.path("type").asText()).isEqualTo("private");
        });
        org.awaitility.Awaitility.await().atMost(T).untilAsserted(() -> {
            ObjectNode frame = TestClient.object();
            frame.put("type", "private");
            frame.putArray("to").add(former);
            frame.putObject("payload").put("text", "still there?");
            sender.send(frame);
            JsonNode error = sender.await(f -> "error".equals(f.path("type").asText()), T);
            assertThat(error.path("payload").path("missing")).extracting(JsonNode::asText).containsExactly(former);
        });
    }

    @Test
    void aClientThatLeftIsNoLongerReachableFromAnotherNode() throws Exception {
        TestClient sender = on(0);
        TestClient gone = on(1);
        String id = gone.clientId();
        gone.close();
        org.awaitility.Awaitility.await().atMost(T).until(() -> nodes.get(1).components().sessions().find(id) == null);

        org.awaitility.Awaitility.await().atMost(T).untilAsserted(() -> {
            ObjectNode frame = TestClient.object();
            frame.put("type", "private");
            frame.putArray("to").add(id);
            frame.putObject("payload").put("text", "anyone?");
            sender.send(frame);
            JsonNode error = sender.await(f -> "error".equals(f.path("type").asText()), T);
            assertThat(error.path("error_code").asText()).isEqualTo("NOT_FOUND");
        });
    }

    @Test
    void statusListsTheNodesOfTheCluster() throws Exception {
        on(1);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        org.awaitility.Awaitility.await().atMost(T).untilAsserted(() -> {
            var response = http.send(java.net.http.HttpRequest.newBuilder(nodes.get(0).httpUri("/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode cluster = TestClient.parse(response.body()).path("cluster");
            assertThat(cluster.path("node").asText()).isEqualTo("node-a");
            assertThat(cluster.path("nodes")).extracting(n -> n.path("node").asText())
                    .containsExactly("node-a", "node-b", "node-c");
            assertThat(cluster.path("nodes").get(1).path("last_heartbeat").asText()).isNotEmpty();
            var info = http.send(java.net.http.HttpRequest.newBuilder(nodes.get(1).httpUri("/api/info")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            JsonNode infoCluster = TestClient.parse(info.body()).path("cluster");
            assertThat(infoCluster.path("node").asText()).isEqualTo("node-b");
            assertThat(infoCluster.path("nodes")).extracting(n -> n.path("node").asText())
                    .containsExactly("node-a", "node-b", "node-c");
        });
    }
}
