package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Interest-based subscription, with three nodes of one cluster in this JVM on a real redis-server
 * and real WebSocket clients: a node subscribes to a channel's publish/subscribe channel while it
 * has members of the channel (Redis's own {@code PUBSUB NUMSUB} counts the nodes), and to a room's
 * while it has members in the room; a join on a node that was not subscribed loses nothing, and a
 * member coming back with its position recovers exactly what was published while it was away.
 */
@ExtendWith(TestRedis.class)
class ClusterInterestTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    /** Long enough for the linger, then the unsubscription's round trip. */
    private static final Duration PAST_LINGER = Hub.SUBSCRIPTION_LINGER.plus(T);

    private final TestRedis redis;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private RedisConfig shared;
    private RedisClient client;
    private StatefulRedisConnection<String, String> conn;

    ClusterInterestTest(TestRedis redis) {
        this.redis = redis;
    }

    @BeforeEach
    void startThreeNodes() {
        shared = redis.config();
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        conn = client.connect();
    }

    @AfterEach
    void stopNodes() {
        conn.close();
        client.shutdown();
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
    }

    /** How many nodes are subscribed to the stream's publish/subscribe channel, as Redis counts them. */
    private long subscribers(ChannelKey stream) {
        String name = new ClusterKeys(shared.keyPrefix()).channel(stream);
        return conn.sync().pubsubNumsub(name).getOrDefault(name, 0L);
    }

    /** How many times Redis ran the command since it started ({@code INFO commandstats}). */
    private long calls(String command) {
        String marker = "cmdstat_" + command + ":calls=";
        for (String line : conn.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith(marker)) {
                return Long.parseLong(line.substring(marker.length(), line.indexOf(',', marker.length())));
            }
        }
        return 0;
    }

    private double received(int node) {
        Counter counter = nodes.get(node).components().metrics().registry().find("arqonbus_cluster_receives")
                .counter();
        assertThat(counter).as("the cluster's receive counter of node %d", node).isNotNull();
        return counter.count();
    }

    private double gapsFilled(int node) {
        Counter counter = nodes.get(node).components().metrics().registry().find("arqonbus_cluster_gaps_filled")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static boolean isMessage(JsonNode frame, String channel) {
        return "message".equals(frame.path("type").asText()) && channel.equals(frame.path("channel").asText());
    }

    /** The publications of {@code channel} a client received, up to the one with {@code last}. */
    private static List<JsonNode> receivedBy(TestClient member, String channel, int last) throws TimeoutException {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode frame = member.next(T);
            if (isMessage(frame, channel)) {
                out.add(frame);
                if (frame.path("payload").path("seq").asInt() == last) {
                    return out;
                }
            }
        }
    }

    private static void publish(TestClient publisher, String channel, int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            publisher.publish("science", channel, Map.of("seq", seq));
        }
    }

    private static List<Integer> seqs(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("payload").path("seq").asInt()).toList();
    }

    @Test
    void anAdminChannelIsSubscribedOnlyByTheNodesWithMembersAndPublicationsReachANewMemberInOrder()
            throws Exception {
        ChannelKey key = ChannelKey.of("science", "admin-made");
        nodes.get(0).components().hub().createByAdmin(key, "admin", null);
        await().atMost(T).until(() -> nodes.stream().allMatch(n -> n.components().hub().channel(key) != null));
        TestClient publisher = nodes.get(0).connect();
        publish(publisher, "admin-made", 1, 3);
        await().atMost(T).until(() -> nodes.get(0).components().hub().channel(key).lastOffset() == 3);
        await().during(Duration.ofMillis(500)).atMost(T).until(() -> subscribers(key) == 0
                && subscribers(ChannelKey.roomWide("science")) == 0);

        TestClient member = nodes.get(1).connect();
        JsonNode joined = member.joinChannel("science", "admin-made").get();
        long joinedAt = joined.path("payload").path("data").path("offset").asLong();
        assertThat(subscribers(key)).as("subscribed once the join is answered").isEqualTo(1);
        assertThat(subscribers(ChannelKey.roomWide("science"))).isEqualTo(1);
        double filledBefore = gapsFilled(1);

        publish(publisher, "admin-made", 4, 53);
        List<JsonNode> got = receivedBy(member, "admin-made", 53);
        assertThat(seqs(got)).containsExactlyElementsOf(IntStream.rangeClosed(4, 53).boxed().toList());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).path("metadata").path("offset").asLong()).isEqualTo(joinedAt + 1 + i);
        }
        assertThat(gapsFilled(1)).as("what was published before the join is not a gap").isEqualTo(filledBefore);

        long subscribes = calls("subscribe");
        assertThat(subscribes).as("Redis counted the subscriptions so far").isPositive();
        long unsubscribes = calls("unsubscribe");
        for (int round = 0; round < 5; round++) {
            member.leaveChannel("science", "admin-made").get();
            member.joinChannel("science", "admin-made").get();
        }
        assertThat(calls("subscribe")).as("join/leave churn within the linger subscribes nothing")
                .isEqualTo(subscribes);
        assertThat(calls("unsubscribe")).isEqualTo(unsubscribes);

        member.leaveChannel("science", "admin-made").get();
        assertThat(subscribers(key)).as("the subscription lingers").isEqualTo(1);
        await().atMost(PAST_LINGER).until(() -> subscribers(key) == 0
                && subscribers(ChannelKey.roomWide("science")) == 0);
        assertThat(nodes.get(1).components().hub().channel(key)).as("the channel itself stays").isNotNull();
    }

    @Test
    void aMemberThatLeftAndJoinsAgainWithItsPositionRecoversExactlyWhatWasPublishedMeanwhile() throws Exception {
        ChannelKey key = ChannelKey.of("science", "comeback");
        TestClient publisher = nodes.get(0).connect();
        TestClient member = nodes.get(1).connect();
        member.joinChannel("science", "comeback").get();
        publish(publisher, "comeback", 1, 5);
        JsonNode last = receivedBy(member, "comeback", 5).get(4);
        long offset = last.path("metadata").path("offset").asLong();
        String epoch = last.path("metadata").path("epoch").asText();

        member.close();
        await().atMost(PAST_LINGER).until(() -> subscribers(key) == 0);
        publish(publisher, "comeback", 6, 10);
        await().atMost(T).until(() -> nodes.get(0).components().history().read(key, offset, 10, false).get()
                .size() == 5);
        assertThat(nodes.get(0).components().hub().channel(key).lastOffset())
                .as("the accepting node's channel shows what it accepted").isEqualTo(offset + 5);
        double filledBefore = gapsFilled(1);

        TestClient again = nodes.get(1).connect();
        ObjectNode args = TestClient.object();
        args.put("room", "science");
        args.put("channel", "comeback");
        args.putObject("recover").put("offset", offset).put("epoch", epoch);
        JsonNode reply = again.command("join_channel", args).get();
        assertThat(reply.path("payload").path("data").path("recovered").asBoolean()).as("%s", reply).isTrue();
        assertThat(reply.path("payload").path("data").path("offset").asLong()).isEqualTo(offset + 5);
        assertThat(subscribers(key)).isEqualTo(1);

        publish(publisher, "comeback", 11, 12);
        assertThat(seqs(receivedBy(again, "comeback", 12))).containsExactly(6, 7, 8, 9, 10, 11, 12);
        assertThat(again.poll(Duration.ofMillis(300))).as("nothing twice").isNull();
        assertThat(gapsFilled(1)).isEqualTo(filledBefore);
    }

    @Test
    void aRoomBroadcastReachesOnlyTheNodesWithMembersOfTheRoom() throws Exception {
        TestClient onB = nodes.get(1).connect();
        onB.joinChannel("science", "explore").get();
        TestClient onC = nodes.get(2).connect();
        onC.joinChannel("art", "gallery").get();
        assertThat(subscribers(ChannelKey.roomWide("science"))).isEqualTo(1);
        double receivedOnC = received(2);

        TestClient sender = nodes.get(0).connect();
        ObjectNode frame = TestClient.object();
        frame.put("type", "message");
        frame.put("room", "science");
        frame.putObject("payload").put("seq", 7);
        sender.send(frame);

        JsonNode got = onB.await(f -> "message".equals(f.path("type").asText())
                && f.path("payload").path("seq").asInt() == 7, T);
        assertThat(got.path("sender").asText()).isEqualTo(sender.clientId());
        await().during(Duration.ofMillis(300)).atMost(T).until(() -> received(2) == receivedOnC);
        assertThat(onC.drain()).as("no member of the room on C").noneMatch(f -> "message".equals(f.path("type").asText()));
    }

    @Test
    void theAcceptingNodeWithoutMembersStillTellsItsAcceptedListenersOncePerPublication() throws Exception {
        List<Envelope> accepted = new CopyOnWriteArrayList<>();
        nodes.get(0).components().hub().addAcceptedListener((envelope, sender) -> {
            if ("hooked".equals(envelope.channel())) {
                accepted.add(envelope);
            }
        });
        TestClient member = nodes.get(1).connect();
        member.joinChannel("science", "hooked").get();
        TestClient publisher = nodes.get(0).connect();
        publish(publisher, "hooked", 1, 10);
        receivedBy(member, "hooked", 10);

        await().atMost(T).until(() -> accepted.size() >= 10);
        await().during(Duration.ofMillis(500)).atMost(T).until(() -> accepted.size() == 10);
        assertThat(accepted).extracting(e -> e.payload().path("seq").asInt())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).boxed().toList());
        assertThat(accepted).allSatisfy(e -> assertThat(e.position()).isNotNull());
        assertThat(subscribers(ChannelKey.of("science", "hooked"))).as("A never subscribed").isEqualTo(1);
    }
}
