package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.legacyAck;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuiltinCommandsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    @Test
    void statusReportsServerClientsRoomsChannelsMessagesAndStorage() throws Exception {
        TestClient a = server.connect();
        TestClient b = server.connect();
        b.sendText("{\"client_type\":\"ai-agent\",\"screen_name\":\"Bot\"}");
        a.joinChannel("status-room", "one").get();
        a.publish("status-room", "one", java.util.Map.of("n", 1));
        a.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);

        JsonNode data = ok(b, "status", null);
        assertThat(data.path("server").path("status").asText()).isEqualTo("running");
        assertThat(data.path("server").path("uptime_seconds").isNumber()).isTrue();
        assertThat(data.path("server").path("uptime_seconds").asDouble()).isNotNegative();
        assertThat(data.path("server").path("version").asText()).isEqualTo(server.bus().info().version());
        assertThat(data.path("clients").path("total").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(data.path("clients").path("active").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(data.path("clients").path("by_type").path("ai-agent").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(data.path("clients").path("by_type").path("unknown").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(data.path("rooms").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(data.path("channels").asInt()).isGreaterThanOrEqualTo(ArqonBus.SCIENCE_CHANNELS.size() + 1);
        assertThat(data.path("total_messages").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(data.path("storage").path("backend").asText()).isEqualTo("memory");
        assertThat(data.path("storage").path("messages").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(data.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void helpListsEveryCommandWithOneLineEach() throws Exception {
        TestClient client = server.connect();
        JsonNode data = ok(client, "help", null);
        List<String> names = new ArrayList<>();
        data.path("commands").forEach(c -> {
            names.add(c.path("name").asText());
            assertThat(c.path("description").asText()).isNotBlank().doesNotContain("\n");
            assertThat(c.path("admin").isBoolean()).isTrue();
            assertThat(c.path("aliases").isArray()).isTrue();
        });
        assertThat(names).contains("ping", "status", "help", "join_channel", "leave_channel", "list_channels",
                "channel_info", "create_channel", "delete_channel", "history", "history.get", "history.replay");
        assertThat(data.path("count").asInt()).isEqualTo(names.size());
        JsonNode create = find(data.path("commands"), "create_channel");
        assertThat(create.path("admin").asBoolean()).isTrue();
        assertThat(find(data.path("commands"), "history.get").path("aliases").get(0).asText())
                .isEqualTo("op.history.get");
        assertThat(find(data.path("commands"), "history.replay").path("aliases").get(0).asText())
                .isEqualTo("op.history.replay");
    }

    @Test
    void listChannelsShowsTheBootstrappedScienceRoomSortedWithMetadata() throws Exception {
        TestClient client = server.connect();
        JsonNode data = ok(client, "list_channels", args("room", "science"));
        assertThat(data.path("room").asText()).isEqualTo("science");
        assertThat(data.path("total_channels").asInt()).isEqualTo(ArqonBus.SCIENCE_CHANNELS.size());
        List<String> names = new ArrayList<>();
        for (JsonNode channel : data.path("channels")) {
            names.add(channel.path("name").asText());
            assertThat(channel.path("member_count").isInt()).isTrue();
            assertThat(channel.path("created_at").asText()).endsWith("Z");
            JsonNode metadata = channel.path("metadata");
            assertThat(metadata.path("created_at").asText()).isEqualTo(channel.path("created_at").asText());
            assertThat(metadata.path("created_by").asText()).isEqualTo("system");
            assertThat(metadata.path("type").asText()).isEqualTo("workflow");
            assertThat(metadata.path("hardcoded").asBoolean()).isTrue();
        }
        assertThat(names).containsExactlyElementsOf(ArqonBus.SCIENCE_CHANNELS.stream().sorted().toList());
    }

    @Test
    void listChannelsCountsMembersOfDynamicChannels() throws Exception {
        TestClient a = server.connect();
        TestClient b = server.connect();
        a.joinChannel("lc", "beta").get();
        b.joinChannel("lc", "beta").get();
        a.joinChannel("lc", "alpha").get();
        JsonNode data = ok(a, "list_channels", args("room", "lc:ignored"));
        assertThat(data.path("total_channels").asInt()).isEqualTo(2);
        assertThat(data.path("channels").get(0).path("name").asText()).isEqualTo("alpha");
        assertThat(data.path("channels").get(0).path("member_count").asInt()).isEqualTo(1);
        assertThat(data.path("channels").get(1).path("name").asText()).isEqualTo("beta");
        assertThat(data.path("channels").get(1).path("member_count").asInt()).isEqualTo(2);
        JsonNode metadata = data.path("channels").get(1).path("metadata");
        assertThat(metadata.path("type").asText()).isEqualTo("dynamic");
        assertThat(metadata.path("created_by").asText()).isEqualTo(a.clientId());
        assertThat(metadata.path("hardcoded").asBoolean()).isFalse();
    }

    @Test
    void listChannelsRefusesAMissingOrUnknownRoom() throws Exception {
        TestClient client = server.connect();
        assertThat(error(client, "list_channels", args(), "VALIDATION_ERROR").path("error").asText())
                .isEqualTo("Validation error: 'room' is required");
        assertThat(error(client, "list_channels", args("room", "no-such-room"), "NOT_FOUND")
                .path("error").asText()).isEqualTo("Room 'no-such-room' not found");
        error(client, "list_channels", args("room", 42), "VALIDATION_ERROR");
        error(client, "list_channels", args("room", "has space"), "VALIDATION_ERROR");
        // The connection stays usable.
        ok(client, "ping", null);
    }

    @Test
    void channelInfoShowsMembersParticipantsMetadataAndPosition() throws Exception {
        TestClient a = server.connect();
        TestClient b = server.connect();
        a.sendText("{\"client_type\":\"app\",\"screen_name\":\"Alpha\"}");
        a.joinChannel("ci", "room1").get();
        b.joinChannel("ci", "room1").get();
        b.publish("ci", "room1", java.util.Map.of("x", 1));
        b.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);

        JsonNode data = ok(a, "channel_info", args("room", "ci:room1"));
        assertThat(data.path("room").asText()).isEqualTo("ci");
        assertThat(data.path("channel").asText()).isEqualTo("room1");
        assertThat(data.path("member_count").asInt()).isEqualTo(2);
        List<String> members = new ArrayList<>();
        data.path("members").forEach(m -> members.add(m.asText()));
        assertThat(members).containsExactlyInAnyOrder(a.clientId(), b.clientId()).isSorted();
        assertThat(data.path("participants")).hasSize(2);
        for (JsonNode p : data.path("participants")) {
            if (p.path("client_id").asText().equals(a.clientId())) {
                assertThat(p.path("client_type").asText()).isEqualTo("app");
                assertThat(p.path("screen_name").asText()).isEqualTo("Alpha");
            } else {
                assertThat(p.path("client_id").asText()).isEqualTo(b.clientId());
                assertThat(p.path("client_type").asText()).isEqualTo("unknown");
                assertThat(p.path("screen_name").isNull()).isTrue();
            }
        }
        assertThat(data.path("metadata").path("type").asText()).isEqualTo("dynamic");
        assertThat(data.path("metadata").path("created_by").asText()).isEqualTo(a.clientId());
        assertThat(data.path("created_at").asText()).isEqualTo(data.path("metadata").path("created_at").asText());
        assertThat(data.path("offset").asLong()).isEqualTo(1);
        assertThat(data.path("epoch").asText()).isNotBlank();
    }

    @Test
    void channelInfoRefusesUnknownRoomsAndChannels() throws Exception {
        TestClient client = server.connect();
        assertThat(error(client, "channel_info", args("room", "nowhere", "channel", "x"), "NOT_FOUND")
                .path("error").asText()).isEqualTo("Room 'nowhere' not found");
        assertThat(error(client, "channel_info", args("room", "science", "channel", "nope"), "NOT_FOUND")
                .path("error").asText()).isEqualTo("Channel 'nope' not found in room 'science'");
        assertThat(error(client, "channel_info", args("room", "science"), "VALIDATION_ERROR")
                .path("error").asText()).isEqualTo("Validation error: 'channel' is required");
    }

    @Test
    void adminCommandsNeedTheAdminRoleWhichNobodyHasWithoutAuth() throws Exception {
        TestClient client = server.connect();
        assertThat(error(client, "create_channel", args("room", "x", "channel", "y"), "AUTHORIZATION_ERROR")
                .path("error").asText()).isEqualTo("Command 'create_channel' requires the admin role");
        error(client, "delete_channel", args("room", "science", "channel", "share"), "AUTHORIZATION_ERROR");
        assertThat(server.components().hub().channel(io.arqonbus.server.internal.channel.ChannelKey.of("x", "y"))).isNull();
    }

    @Test
    void everyCommandGetsExactlyOneResponseThenTheLegacyAck() throws Exception {
        TestClient client = server.connect();
        for (String command : List.of("status", "help", "list_channels", "channel_info", "history")) {
            ObjectNode args = args("room", "science", "channel", "general");
            JsonNode reply = CommandCalls.call(client, command, args);
            String id = reply.path("request_id").asText();
            JsonNode ack = legacyAck(client, id);
            assertThat(ack.path("command").asText()).isEqualTo(command);
            assertThat(ack.path("payload").path("result").asText()).isEqualTo("ok");
            // Everything up to the ack has been read: one response, nothing pending for the id.
            ok(client, "ping", null);
            assertThat(CommandCalls.responsesTo(client.drain(), id)).isEmpty();
        }
        JsonNode failed = error(client, "channel_info", args("room", "nowhere", "channel", "x"), "NOT_FOUND");
        JsonNode ack = legacyAck(client, failed.path("request_id").asText());
        assertThat(ack.path("payload").path("result").asText()).isEqualTo("error");
    }

    @Test
    void theOriginalsPayloadCommandShapeReachesTheSameCommand() throws Exception {
        TestClient client = server.connect();
        client.sendText("{\"type\":\"command\",\"id\":\"arq_legacy_list_1\",\"payload\":{\"command\":\"list_channels\","
                + "\"parameters\":{\"room\":\"science\"}}}");
        JsonNode reply = client.await(f -> "response".equals(f.path("type").asText())
                && "arq_legacy_list_1".equals(f.path("request_id").asText()), ArqonBusExtension.TIMEOUT);
        assertThat(reply.path("status").asText()).isEqualTo("success");
        assertThat(reply.path("command").asText()).isEqualTo("list_channels");
        assertThat(reply.path("payload").path("data").path("total_channels").asInt())
                .isEqualTo(ArqonBus.SCIENCE_CHANNELS.size());
    }

    @Test
    void unknownCommandsPointToHelp() throws Exception {
        TestClient client = server.connect();
        JsonNode reply = client.command("no_such_command", null)
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("error_code").asText()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(reply.path("error").asText()).contains("help");
    }

    private static JsonNode find(JsonNode commands, String name) {
        for (JsonNode c : commands) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no command " + name);
    }
}
