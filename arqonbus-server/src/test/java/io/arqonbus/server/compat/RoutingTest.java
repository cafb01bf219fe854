package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.error;
import static io.arqonbus.server.testing.Frames.system;
import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who gets what: channel fan-out, room broadcast, private messages, server-only frames, disconnects. */
class RoutingTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.ioThreads(3));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private int requests;

    private String id(RawWebSocket ws) throws Exception {
        return ws.await(f -> f.path("payload").has("welcome"), T).path("payload").path("client_id").asText();
    }

    private void join(RawWebSocket ws, String room, String channel) throws Exception {
        String rid = "arq_join_" + (++requests);
        ws.send("{\"id\":\"" + rid + "\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\""
                + room + "\",\"channel\":\"" + channel + "\"}}");
        ws.await(commandAckOf(rid), T);
    }

    private static void publish(RawWebSocket ws, String room, String channel, String text) {
        ws.send("{\"type\":\"message\",\"room\":\"" + room + "\"" + (channel == null ? "" : ",\"channel\":\"" + channel + "\"")
                + ",\"payload\":{\"text\":\"" + text + "\"}}");
    }

    /** Reads frames until the marker private message from {@code publisher} arrives; returns what came before. */
    private static List<JsonNode> until(RawWebSocket ws, String marker) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode f = ws.next(T);
            if (marker.equals(f.path("payload").path("text").asText())) {
                return seen;
            }
            seen.add(f);
        }
        throw new AssertionError("marker " + marker + " never arrived");
    }

    private static void marker(RawWebSocket from, List<String> to, String marker) {
        from.send("{\"type\":\"private\",\"to\":[\"" + String.join("\",\"", to) + "\"],\"payload\":{\"text\":\"" + marker + "\"}}");
    }

    @Test
    void channelFanOutReachesEachMemberExactlyOnceAndNoOneElse() throws Exception {
        RawWebSocket publisher = raw.connect();
        id(publisher);
        List<RawWebSocket> members = new ArrayList<>();
        List<String> everyone = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RawWebSocket m = raw.connect();
            everyone.add(id(m));
            join(m, "route", "fan");
            members.add(m);
        }
        List<RawWebSocket> outsiders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawWebSocket o = raw.connect();
            everyone.add(id(o));
            join(o, "route", "other");
            outsiders.add(o);
        }
        join(publisher, "route", "fan");
        int count = 25;
        for (int i = 0; i < count; i++) {
            publish(publisher, "route", "fan", "m" + i);
        }
        marker(publisher, everyone, "END");
        for (RawWebSocket m : members) {
            Map<String, Integer> got = new HashMap<>();
            for (JsonNode f : until(m, "END")) {
                if (f.path("type").asText().equals("message")) {
                    got.merge(f.path("payload").path("text").asText(), 1, Integer::sum);
                }
            }
            assertThat(got).hasSize(count).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        }
        for (RawWebSocket o : outsiders) {
            assertThat(until(o, "END")).noneMatch(f -> f.path("room").asText().equals("route")
                    && f.path("channel").asText().equals("fan"));
        }
        // The publisher got an ack per message and never its own messages.
        List<JsonNode> own = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            own.add(publisher.await(type("message_response"), T));
        }
        assertThat(own).extracting(f -> f.path("payload").path("text").asText()).doesNotHaveDuplicates();
        assertThat(publisher.drain()).noneMatch(type("message"));
    }

    @Test
    void roomBroadcastReachesEveryClientOfTheRoomOnce() throws Exception {
        RawWebSocket publisher = raw.connect();
        id(publisher);
        join(publisher, "bcast", "a");
        RawWebSocket inTwo = raw.connect();
        String inTwoId = id(inTwo);
        join(inTwo, "bcast", "a");
        join(inTwo, "bcast", "b");
        RawWebSocket inB = raw.connect();
        String inBId = id(inB);
        join(inB, "bcast", "b");
        RawWebSocket elsewhere = raw.connect();
        String elsewhereId = id(elsewhere);
        join(elsewhere, "notbcast", "a");

        publish(publisher, "bcast", null, "to-room");
        marker(publisher, List.of(inTwoId, inBId, elsewhereId), "END");
        assertThat(until(inTwo, "END")).filteredOn(type("message")).hasSize(1)
                .allSatisfy(f -> {
                    assertThat(f.path("payload").path("text").asText()).isEqualTo("to-room");
                    assertThat(f.has("channel")).isFalse();
                });
        assertThat(until(inB, "END")).filteredOn(type("message")).hasSize(1);
        assertThat(until(elsewhere, "END")).filteredOn(type("message")).isEmpty();
        JsonNode ack = publisher.await(type("message_response"), T);
        assertThat(ack.path("room").asText()).isEqualTo("bcast");
        assertThat(publisher.drain()).noneMatch(type("message"));
    }

    @Test
    void privateMessageToSeveralTargetsReachesOnlyThem() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = id(a);
        RawWebSocket b = raw.connect();
        String bId = id(b);
        RawWebSocket c = raw.connect();
        String cId = id(c);
        RawWebSocket d = raw.connect();
        String dId = id(d);
        a.send("{\"type\":\"message\",\"to\":[\"" + bId + "\",\"" + cId + "\",\"" + bId + "\"],\"payload\":{\"text\":\"dm\"}}");
        marker(a, List.of(bId, cId, dId), "END");
        for (RawWebSocket target : List.of(b, c)) {
            List<JsonNode> got = until(target, "END");
            assertThat(got).filteredOn(type("message")).hasSize(1)
                    .allSatisfy(f -> assertThat(f.path("sender").asText()).isEqualTo(aId));
        }
        assertThat(until(d, "END")).isEmpty();
    }

    @Test
    void clientsCannotSendSystemFramesNorSpoofTheSender() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = id(a);
        RawWebSocket b = raw.connect();
        id(b);
        join(b, "route", "spoof");
        a.send("{\"id\":\"arq_sys\",\"type\":\"system\",\"room\":\"route\",\"channel\":\"spoof\",\"payload\":{\"event\":\"join\"}}");
        JsonNode refused = a.await(error("VALIDATION_ERROR"), T);
        assertThat(refused.path("request_id").asText()).isEqualTo("arq_sys");
        assertThat(refused.path("error").asText()).contains("system");
        for (String serverOnly : List.of("message_response", "command_response", "ack")) {
            a.send("{\"type\":\"" + serverOnly + "\",\"room\":\"route\",\"channel\":\"spoof\"}");
            a.await(error("VALIDATION_ERROR"), T);
        }
        a.send("{\"type\":\"message\",\"room\":\"route\",\"channel\":\"spoof\",\"sender\":\"arqonbus\",\"from\":\"arqonbus\",\"payload\":{\"text\":\"real\"}}");
        JsonNode got = b.await(type("message"), T);
        assertThat(got.path("sender").asText()).isEqualTo(aId);
        assertThat(b.drain()).noneMatch(type("system").and(f -> f.path("payload").path("event").asText().equals("join")
                && !f.path("sender").asText().equals("arqonbus")));
    }

    @Test
    void reservedServerNamesCannotBeClaimed() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = id(a);
        for (String reserved : List.of("arqonbus", "op-cron", "op-omega", "ARQONBUS")) {
            a.send("{\"client_id\":\"" + reserved + "\",\"client_type\":\"app\"}");
            JsonNode err = a.await(type("error"), T);
            assertThat(err.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(err.path("error").asText()).contains("reserved");
        }
        a.send("{\"id\":\"arq_p\",\"type\":\"command\",\"command\":\"ping\"}");
        JsonNode pong = a.await(Frames_response("arq_p"), T);
        assertThat(pong.path("payload").path("data").path("client_id").asText()).isEqualTo(aId);
    }

    private static java.util.function.Predicate<JsonNode> Frames_response(String id) {
        return io.arqonbus.server.testing.Frames.responseTo(id);
    }

    @Test
    void disconnectRemovesEveryMembershipAndTellsTheOthers() throws Exception {
        RawWebSocket watcher = raw.connect();
        id(watcher);
        RawWebSocket leaver = raw.connect();
        String leaverId = id(leaver);
        List<String> channels = List.of("d1", "d2", "d3");
        for (String ch : channels) {
            join(watcher, "disc", ch);
            join(leaver, "disc", ch);
        }
        assertThat(server.components().sessions().find(leaverId)).isNotNull();
        leaver.close();
        List<String> left = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            left.add(watcher.await(system("leave", leaverId), T).path("channel").asText());
        }
        assertThat(left).containsExactlyInAnyOrderElementsOf(channels);
        await().atMost(T).untilAsserted(() -> {
            for (String ch : channels) {
                ChannelInfo channel = server.components().hub().channel(ChannelKey.of("disc", ch));
                assertThat(channel.memberCount()).isEqualTo(1);
            }
            assertThat(server.components().sessions().find(leaverId)).isNull();
        });
        // A private message to the departed client is now NOT_FOUND.
        watcher.send("{\"id\":\"arq_gone\",\"type\":\"private\",\"to\":\"" + leaverId + "\",\"payload\":{}}");
        assertThat(watcher.await(error("NOT_FOUND"), T).path("request_id").asText()).isEqualTo("arq_gone");
    }
}
