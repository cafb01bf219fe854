package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.error;
import static io.arqonbus.server.testing.Frames.responseTo;
import static io.arqonbus.server.testing.Frames.system;
import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The literal client messages of the seed documents (000, 001) and of the protocol, sent as raw
 * text by a real WebSocket client, get the answers the protocol documents.
 */
class SeedExamplesTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension();
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    /** The seed's identification frame, verbatim but for the client id. */
    private static String identification(String clientId, String room) {
        return "{\"client_id\":\"" + clientId + "\",\"client_type\":\"app\",\"room\":\"" + room
                + "\",\"screen_name\":\"MyApp\",\"avatar\":null,\"personality\":{}}";
    }

    private static String clientId(RawWebSocket ws) throws Exception {
        return ws.await(f -> f.path("payload").has("welcome"), T).path("payload").path("client_id").asText();
    }

    /** Sends a ping command and waits for its reply: everything sent before it has been handled. */
    private static void sync(RawWebSocket ws, String id) throws Exception {
        ws.send("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"ping\"}");
        ws.await(commandAckOf(id), T);
    }

    @Test
    void welcomeIsTheFirstFrameInTheDocumentedShape() throws Exception {
        RawWebSocket ws = raw.connect();
        JsonNode welcome = ws.next(T);
        assertThat(welcome.path("type").asText()).isEqualTo("message");
        assertThat(welcome.path("version").asText()).isEqualTo("1.0");
        assertThat(welcome.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(welcome.path("id").asText()).matches("arq_[0-9]+_[0-9]+_[0-9a-f]{6}");
        assertThat(welcome.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(welcome.path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
        assertThat(welcome.path("payload").path("client_id").asText()).matches("arq_client_[0-9a-f]{32}");
        assertThat(welcome.path("args").isObject()).isTrue();
        assertThat(welcome.path("metadata").isObject()).isTrue();
    }

    @Test
    void seedIdentificationJoinsTheRoomChannelAndAnnouncesTheClient() throws Exception {
        RawWebSocket watcher = raw.connect();
        String watcherId = clientId(watcher);
        watcher.send("{\"type\":\"command\",\"id\":\"arq_w1\",\"command\":\"join_channel\",\"args\":{\"room\":\"science:explore\"}}");
        JsonNode joined = watcher.await(responseTo("arq_w1"), T);
        assertThat(joined.path("status").asText()).isEqualTo("success");
        assertThat(joined.path("payload").path("data").path("channel").asText()).isEqualTo("explore");

        RawWebSocket app = raw.connect();
        clientId(app);
        app.send(identification("my-client-1", "science:explore"));
        JsonNode notice = watcher.await(system("join", "my-client-1"), T);
        assertThat(notice.path("room").asText()).isEqualTo("science");
        assertThat(notice.path("channel").asText()).isEqualTo("explore");
        assertThat(notice.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(notice.path("payload").path("screen_name").asText()).isEqualTo("MyApp");
        assertThat(notice.path("payload").path("client_type").asText()).isEqualTo("app");

        // Success is silent: the next thing the app sees is the answer to its next request.
        sync(app, "arq_sync_1");
        assertThat(app.drain()).noneMatch(type("error"));

        // 2) Send a message into a room/channel — the seed's sendMessage(), verbatim.
        app.send("{\"type\":\"event\",\"room\":\"science\",\"channel\":\"explore\",\"message\":\"hello science\"}");
        JsonNode delivered = watcher.await(type("event"), T);
        assertThat(delivered.path("payload").path("message").asText()).isEqualTo("hello science");
        assertThat(delivered.path("sender").asText()).isEqualTo("my-client-1");
        assertThat(delivered.path("room").asText()).isEqualTo("science");
        assertThat(delivered.path("channel").asText()).isEqualTo("explore");
        JsonNode ack = app.await(type("message_response"), T);
        assertThat(ack.path("id").asText()).isEqualTo(delivered.path("id").asText());
        assertThat(ack.path("payload").path("message").asText()).isEqualTo("hello science");
        assertThat(watcherId).isNotEqualTo("my-client-1");
    }

    @Test
    void roomColonChannelShapeRoutesToTheChannel() throws Exception {
        RawWebSocket a = raw.connect();
        clientId(a);
        RawWebSocket b = raw.connect();
        clientId(b);
        b.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"colon\"}}");
        b.await(commandAckOf("arq_j"), T);
        a.send("{\"type\":\"message\",\"room\":\"seed:colon\",\"payload\":{\"text\":\"x\"}}");
        JsonNode got = b.await(type("message"), T);
        assertThat(got.path("room").asText()).isEqualTo("seed");
        assertThat(got.path("channel").asText()).isEqualTo("colon");
        assertThat(got.path("payload").path("text").asText()).isEqualTo("x");
    }

    @Test
    void fromAndSenderAreIgnoredAndTheSeedTimestampIsAccepted() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = clientId(a);
        RawWebSocket b = raw.connect();
        clientId(b);
        b.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"spoof\"}}");
        b.await(commandAckOf("arq_j"), T);
        a.send("{\"type\":\"event\",\"room\":\"seed\",\"channel\":\"spoof\",\"from\":\"client-id\",\"sender\":\"arqonbus\","
                + "\"from_client\":\"x\",\"command\":\"status\",\"payload\":{},\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"message\":\"optional free text\"}");
        JsonNode got = b.await(type("event"), T);
        assertThat(got.path("sender").asText()).isEqualTo(aId);
        assertThat(got.has("from")).isFalse();
        assertThat(got.path("timestamp").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
        assertThat(got.path("payload").path("message").asText()).isEqualTo("optional free text");
    }

    @Test
    void toListDeliversOnlyToTheTargets() throws Exception {
        RawWebSocket a = raw.connect();
        clientId(a);
        RawWebSocket target = raw.connect();
        String targetId = clientId(target);
        RawWebSocket bystander = raw.connect();
        clientId(bystander);
        for (RawWebSocket ws : List.of(target, bystander)) {
            ws.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"to\"}}");
            ws.await(commandAckOf("arq_j"), T);
        }
        a.send("{\"type\":\"event\",\"room\":\"seed\",\"channel\":\"to\",\"to\":[\"" + targetId + "\"],\"message\":\"psst\"}");
        JsonNode got = target.await(f -> "psst".equals(f.path("payload").path("message").asText()), T);
        assertThat(got.path("to").get(0).asText()).isEqualTo(targetId);
        a.await(type("message_response"), T);
        sync(bystander, "arq_sync_2");
        assertThat(bystander.drain()).noneMatch(f -> f.path("payload").has("message"));
    }

    @Test
    void privateMessageWithPayloadTargetAndUnknownTarget() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = clientId(a);
        RawWebSocket b = raw.connect();
        String bId = clientId(b);
        a.send("{\"id\":\"arq_pm_1\",\"type\":\"private\",\"payload\":{\"target\":\"" + bId + "\",\"text\":\"hi\"}}");
        JsonNode got = b.await(type("private"), T);
        assertThat(got.path("sender").asText()).isEqualTo(aId);
        assertThat(got.path("payload").path("text").asText()).isEqualTo("hi");
        JsonNode ack = a.await(type("message_response"), T);
        assertThat(ack.path("id").asText()).isEqualTo("arq_pm_1");

        a.send("{\"id\":\"arq_pm_2\",\"type\":\"private\",\"to\":[\"nobody-here\"],\"payload\":{\"text\":\"hi\"}}");
        JsonNode err = a.await(error("NOT_FOUND"), T);
        assertThat(err.path("request_id").asText()).isEqualTo("arq_pm_2");
        assertThat(err.path("payload").path("missing").get(0).asText()).isEqualTo("nobody-here");
        assertThat(err.path("error").asText()).contains("nobody-here");
    }

    @Test
    void pmChannelIsPrivate() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = clientId(a);
        RawWebSocket b = raw.connect();
        String bId = clientId(b);
        RawWebSocket c = raw.connect();
        clientId(c);
        c.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"pm\"}}");
        c.await(commandAckOf("arq_j"), T);
        a.send("{\"type\":\"message\",\"room\":\"seed\",\"channel\":\"pm\",\"payload\":{\"target\":\"" + bId + "\",\"text\":\"secret\"}}");
        JsonNode got = b.await(f -> "secret".equals(f.path("payload").path("text").asText()), T);
        assertThat(got.path("sender").asText()).isEqualTo(aId);
        a.await(type("message_response"), T);
        sync(c, "arq_sync_3");
        assertThat(c.drain()).noneMatch(f -> "secret".equals(f.path("payload").path("text").asText()));

        a.send("{\"id\":\"arq_pm_x\",\"type\":\"message\",\"room\":\"seed\",\"channel\":\"pm\",\"payload\":{}}");
        JsonNode err = a.await(error("VALIDATION_ERROR"), T);
        assertThat(err.path("request_id").asText()).isEqualTo("arq_pm_x");
    }

    @Test
    void pingCommandIsCorrelatedAndFollowedByTheLegacyAck() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = clientId(a);
        a.send("{\"id\":\"arq_ping_1\",\"type\":\"command\",\"command\":\"ping\",\"args\":{}}");
        JsonNode response = a.next(T);
        assertThat(response.path("type").asText()).isEqualTo("response");
        assertThat(response.path("request_id").asText()).isEqualTo("arq_ping_1");
        assertThat(response.path("command").asText()).isEqualTo("ping");
        assertThat(response.path("status").asText()).isEqualTo("success");
        assertThat(response.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(response.path("payload").path("message").asText()).isEqualTo("pong");
        JsonNode data = response.path("payload").path("data");
        assertThat(data.path("pong").asBoolean()).isTrue();
        assertThat(data.path("client_id").asText()).isEqualTo(aId);
        assertThat(data.has("latency_ms")).isTrue();
        assertThat(data.has("timestamp")).isTrue();
        JsonNode ack = a.next(T);
        assertThat(ack.path("type").asText()).isEqualTo("command_response");
        assertThat(ack.path("id").asText()).isEqualTo("arq_ping_1");
        assertThat(ack.path("command").asText()).isEqualTo("ping");
        assertThat(ack.path("payload").path("result").asText()).isEqualTo("ok");
    }

    @Test
    void originalCommandShapeWithPayloadCommandAndParameters() throws Exception {
        RawWebSocket a = raw.connect();
        clientId(a);
        a.send("{\"id\":\"arq_legacy\",\"type\":\"command\",\"payload\":{\"command\":\"join_channel\",\"parameters\":{\"room\":\"seed\",\"channel\":\"legacy\"}}}");
        JsonNode response = a.await(responseTo("arq_legacy"), T);
        assertThat(response.path("status").asText()).isEqualTo("success");
        assertThat(response.path("payload").path("message").asText()).isEqualTo("Joined seed:legacy");
        assertThat(response.path("payload").path("data").path("room").asText()).isEqualTo("seed");
        assertThat(response.path("payload").path("data").path("channel").asText()).isEqualTo("legacy");
    }

    @Test
    void joinAndLeaveAnnounceToTheOtherMembersAndErrorsAreCorrelated() throws Exception {
        RawWebSocket a = raw.connect();
        String aId = clientId(a);
        RawWebSocket b = raw.connect();
        String bId = clientId(b);
        a.send("{\"id\":\"arq_ja\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"jl\"}}");
        JsonNode ja = a.await(responseTo("arq_ja"), T);
        assertThat(ja.path("payload").path("data").path("member_count").asInt()).isEqualTo(1);
        assertThat(ja.path("payload").path("data").path("created").asBoolean()).isTrue();
        b.send("{\"id\":\"arq_jb\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"seed:jl\"}}");
        JsonNode jb = b.await(responseTo("arq_jb"), T);
        assertThat(jb.path("payload").path("data").path("member_count").asInt()).isEqualTo(2);
        assertThat(jb.path("payload").path("data").path("created").asBoolean()).isFalse();
        JsonNode joinNotice = a.await(system("join", bId), T);
        assertThat(joinNotice.path("payload").path("member_count").asInt()).isEqualTo(2);

        b.send("{\"id\":\"arq_lb\",\"type\":\"command\",\"command\":\"leave_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"jl\"}}");
        JsonNode lb = b.await(responseTo("arq_lb"), T);
        assertThat(lb.path("status").asText()).isEqualTo("success");
        assertThat(lb.path("payload").path("data").path("member_count").asInt()).isEqualTo(1);
        a.await(system("leave", bId), T);

        b.send("{\"id\":\"arq_lb2\",\"type\":\"command\",\"command\":\"leave_channel\",\"args\":{\"room\":\"seed\",\"channel\":\"jl\"}}");
        JsonNode notMember = b.await(responseTo("arq_lb2"), T);
        assertThat(notMember.path("status").asText()).isEqualTo("error");
        assertThat(notMember.path("error_code").asText()).isEqualTo("NOT_FOUND");
        JsonNode errAck = b.await(commandAckOf("arq_lb2"), T);
        assertThat(errAck.path("payload").path("result").asText()).isEqualTo("error");

        b.send("{\"id\":\"arq_nr\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{}}");
        JsonNode noRoom = b.await(responseTo("arq_nr"), T);
        assertThat(noRoom.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(noRoom.path("error").asText()).startsWith("Validation error: ");
        assertThat(noRoom.path("payload").path("message").asText()).isEqualTo(noRoom.path("error").asText());
        assertThat(aId).isNotEqualTo(bId);
    }

    @Test
    void messageWithoutRoomIsAValidationError() throws Exception {
        RawWebSocket a = raw.connect();
        clientId(a);
        a.send("{\"id\":\"arq_nroom\",\"type\":\"message\",\"payload\":{\"text\":\"lost\"}}");
        JsonNode err = a.await(type("error"), T);
        assertThat(err.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(err.path("request_id").asText()).isEqualTo("arq_nroom");
        assertThat(err.path("error").asText()).contains("'room' is required");
    }

    @Test
    void telemetryEnvelopeIsRebroadcastToTheTelemetryStreamChannel() throws Exception {
        RawWebSocket dashboard = raw.connect();
        clientId(dashboard);
        dashboard.send("{\"id\":\"arq_jt\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"integriguard\",\"channel\":\"telemetry-stream\"}}");
        dashboard.await(commandAckOf("arq_jt"), T);
        RawWebSocket agent = raw.connect();
        String agentId = clientId(agent);
        agent.send("{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"cpu\",\"value\":0.5}}");
        JsonNode got = dashboard.await(type("telemetry"), T);
        assertThat(got.path("room").asText()).isEqualTo("integriguard");
        assertThat(got.path("channel").asText()).isEqualTo("telemetry-stream");
        assertThat(got.path("sender").asText()).isEqualTo(agentId);
        assertThat(got.path("payload").path("eventType").asText()).isEqualTo("cpu");

        agent.send("{\"id\":\"arq_tbad\",\"type\":\"telemetry\",\"payload\":{\"value\":1}}");
        JsonNode err = agent.await(error("VALIDATION_ERROR"), T);
        assertThat(err.path("request_id").asText()).isEqualTo("arq_tbad");
        List<JsonNode> nothingElse = new ArrayList<>(agent.drain());
        assertThat(nothingElse).noneMatch(type("message_response"));
    }
}
