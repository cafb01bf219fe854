package io.arqonbus.server.internal.auth;


import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channel permissions by role and tenant confinement, driven by real clients with real tokens:
 * every refusal has its code, and a refused client never receives what it may not see.
 */
class ChannelPermissionsTest {
    static final ChannelPermissions PERMISSIONS = new ChannelPermissions(Map.of(
            "admin", Map.of(ChannelAction.SUBSCRIBE, List.of("*"), ChannelAction.PUBLISH, List.of("*"),
                    ChannelAction.HISTORY, List.of("*")),
            "user", Map.of(
                    ChannelAction.SUBSCRIBE, List.of("science:*", "tenant-{tenant}:*", "inbox:{sub}"),
                    ChannelAction.PUBLISH, List.of("science:chat", "tenant-{tenant}:*"),
                    ChannelAction.HISTORY, List.of("science:chat"))),
            null);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET).permissions(PERMISSIONS));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static TestClient connect(String sub, String role, String tenant) throws Exception {
        String token = HandshakeAuthTest.token(sub, role, tenant, Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        return server.connect(Map.of("Authorization", "Bearer " + token));
    }

    /** A client identified by its token's subject (so others can address it). */
    private static TestClient identified(String sub, String role, String tenant) throws Exception {
        TestClient client = connect(sub, role, tenant);
        client.sendText("{\"client_id\":\"" + sub + "\"}");
        JsonNode ping = client.command("ping", null).get();
        assertThat(ping.path("payload").path("data").path("client_id").asText()).isEqualTo(sub);
        return client;
    }

    private static JsonNode join(TestClient client, String room, String channel) throws Exception {
        return client.joinChannel(room, channel).get();
    }

    @Test
    void subscribingOutsideThePermittedPatternsIsRefusedAndNothingArrives() throws Exception {
        TestClient alice = connect("alice", "user", "t1");
        TestClient admin = connect("root", "admin", null);

        JsonNode refused = join(alice, "ops", "alerts");
        assertThat(refused.path("status").asText()).isEqualTo("error");
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(refused.path("error").asText()).isEqualTo("Not allowed to subscribe to ops:alerts");
        assertThat(join(alice, "science", "chat").path("status").asText()).isEqualTo("success");
        assertThat(join(alice, "tenant-t1", "news").path("status").asText()).isEqualTo("success");
        assertThat(join(alice, "tenant-t2", "news").path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(join(alice, "inbox", "alice").path("status").asText()).isEqualTo("success");
        assertThat(join(alice, "inbox", "bob").path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");

        assertThat(join(admin, "ops", "alerts").path("status").asText()).isEqualTo("success");
        admin.publish("ops", "alerts", Map.of("secret", "ops only"));
        admin.publish("tenant-t2", "news", Map.of("secret", "t2 only"));
        admin.publish("science", "chat", Map.of("marker", "end"));

        JsonNode end = alice.await(f -> "end".equals(f.path("payload").path("marker").asText()), T);
        assertThat(end.path("room").asText()).isEqualTo("science");
        assertThat(alice.drain()).noneMatch(f -> f.path("payload").has("secret"));
    }

    @Test
    void publishingOutsideThePermittedPatternsIsRefusedAndNotDelivered() throws Exception {
        TestClient alice = connect("alice2", "user", "t1");
        TestClient admin = connect("root2", "admin", null);
        join(admin, "science", "lab");
        join(admin, "science", "chat");

        ObjectNode frame = TestClient.object().put("id", "arq_pub_denied").put("type", "message")
                .put("room", "science").put("channel", "lab");
        frame.putObject("payload").put("n", 1);
        alice.send(frame);
        JsonNode error = alice.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(error.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(error.path("request_id").asText()).isEqualTo("arq_pub_denied");
        assertThat(error.path("error").asText()).isEqualTo("Not allowed to publish to science:lab");

        ObjectNode broadcast = TestClient.object().put("type", "message").put("room", "science");
        broadcast.putObject("payload").put("n", 2);
        alice.send(broadcast);
        JsonNode error2 = alice.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(error2.path("error").asText()).isEqualTo("Not allowed to publish to science:*");

        alice.publish("science", "chat", Map.of("n", 3));
        JsonNode delivered = admin.await(f -> "message".equals(f.path("type").asText())
                && f.path("payload").has("n"), T);
        assertThat(delivered.path("payload").path("n").asInt()).isEqualTo(3);
        assertThat(admin.drain()).noneMatch(f -> f.path("payload").path("n").asInt() == 1
                || f.path("payload").path("n").asInt() == 2);
    }

    @Test
    void historyOutsideThePermittedPatternsIsRefused() throws Exception {
        TestClient alice = connect("alice3", "user", "t1");
        TestClient admin = connect("root3", "admin", null);
        admin.publish("science", "chat", Map.of("h", 1));
        admin.publish("science", "lab", Map.of("h", 2));
        admin.await(f -> "message_response".equals(f.path("type").asText())
                && f.path("payload").path("h").asInt() == 2, T);

        ObjectNode lab = TestClient.object().put("room", "science").put("channel", "lab");
        JsonNode refused = alice.command("history", lab).get();
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        ObjectNode room = TestClient.object().put("room", "science");
        assertThat(alice.command("history", room).get().path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        ObjectNode chat = TestClient.object().put("room", "science").put("channel", "chat");
        JsonNode allowed = alice.command("history", chat).get();
        assertThat(allowed.path("status").asText()).isEqualTo("success");
        assertThat(allowed.path("payload").path("data").path("history")).allSatisfy(
                h -> assertThat(h.path("channel").asText()).isEqualTo("chat"));
        assertThat(admin.command("history", lab).get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void privateMessagesStayInsideTheSendersTenant() throws Exception {
        TestClient t1a = identified("t1-a", "user", "t1");
        TestClient t1b = identified("t1-b", "user", "t1");
        TestClient t2 = identified("t2-a", "user", "t2");

        ObjectNode cross = TestClient.object().put("id", "arq_pm_cross").put("type", "private");
        cross.putArray("to").add("t2-a");
        cross.putObject("payload").put("secret", "for t2?");
        t1a.send(cross);
        JsonNode refused = t1a.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(refused.path("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(refused.path("request_id").asText()).isEqualTo("arq_pm_cross");

        ObjectNode same = TestClient.object().put("type", "private");
        same.putArray("to").add("t1-b");
        same.putObject("payload").put("hello", "t1");
        t1a.send(same);
        JsonNode got = t1b.await(f -> "private".equals(f.path("type").asText()), T);
        assertThat(got.path("payload").path("hello").asText()).isEqualTo("t1");
        assertThat(t2.drain()).noneMatch(f -> f.path("payload").has("secret"));
    }

    @Test
    void patternsAreGlobsOverRoomAndChannelWithClaimsFilledIn() {
        Grants alice = Grants.of(PERMISSIONS, new Principal("alice", "user", "t1", null));
        assertThat(alice.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("science", "x.y-z"))).isTrue();
        assertThat(alice.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("sciences", "x"))).isFalse();
        assertThat(alice.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("tenant-t1", "a"))).isTrue();
        assertThat(alice.allows(ChannelAction.PUBLISH, ChannelKey.roomWide("tenant-t1"))).isTrue();
        assertThat(alice.allows(ChannelAction.PUBLISH, ChannelKey.roomWide("science"))).isFalse();

        Grants noTenant = Grants.of(PERMISSIONS, new Principal("bob", "user", null, null));
        assertThat(noTenant.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("tenant-", "a"))).isFalse();
        Grants unknownRole = Grants.of(PERMISSIONS, new Principal("carol", "guest", null, null));
        assertThat(unknownRole.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("science", "chat"))).isFalse();
        Grants anonymous = Grants.of(PERMISSIONS, Principal.ANONYMOUS);
        assertThat(anonymous.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("science", "chat"))).isFalse();
        Grants regexCharsAreLiteral = Grants.of(new ChannelPermissions(Map.of("user",
                Map.of(ChannelAction.SUBSCRIBE, List.of("a.b:(c)"))), "user"), Principal.ANONYMOUS);
        assertThat(regexCharsAreLiteral.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("a.b", "(c)"))).isTrue();
        assertThat(regexCharsAreLiteral.allows(ChannelAction.SUBSCRIBE, ChannelKey.of("axb", "(c)"))).isFalse();

        assertThatThrownBy(() -> new ChannelPermissions(Map.of("user",
                Map.of(ChannelAction.SUBSCRIBE, List.of("room:{role}"))), null))
                .hasMessageContaining("{sub} and {tenant}");
    }
}
