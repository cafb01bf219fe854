package io.arqonbus.server.internal.subscription;

import static io.arqonbus.server.internal.subscription.FilteredSubscriptionTest.barrier;
import static io.arqonbus.server.internal.subscription.FilteredSubscriptionTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth and permissions on, a filter sees only what its connection may subscribe to, only its
 * own tenant's traffic (host publications follow the permission check only), and nothing of a
 * private channel that does not list it.
 */
class SubscriptionPermissionsTest {
    static final ChannelPermissions PERMISSIONS = new ChannelPermissions(Map.of(
            "admin", Map.of(ChannelAction.SUBSCRIBE, List.of("*"), ChannelAction.PUBLISH, List.of("*"),
                    ChannelAction.HISTORY, List.of("*")),
            "user", Map.of(
                    ChannelAction.SUBSCRIBE, List.of("science:*", "tenant-{tenant}:*", "club:*"),
                    ChannelAction.PUBLISH, List.of("*"), ChannelAction.HISTORY, List.of("club:*"))),
            null);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(TestTokens.SECRET).permissions(PERMISSIONS));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static TestClient connect(String sub, String role, String tenant) {
        return server.connect(TestTokens.bearer(sub, role, tenant));
    }

    private static void publish(TestClient from, String room, String channel, String tag) throws Exception {
        ObjectNode frame = TestClient.object().put("type", "message").put("room", room);
        if (channel != null) {
            frame.put("channel", channel);
        }
        frame.putObject("payload").put("tag", tag);
        from.send(frame);
        from.await(f -> "message_response".equals(f.path("type").asText())
                && tag.equals(f.path("payload").path("tag").asText()), T);
    }

    private static List<String> tags(TestClient client) throws Exception {
        barrier(client);
        return client.drain().stream().filter(f -> f.path("payload").has("tag"))
                .map(f -> f.path("payload").path("tag").asText()).sorted().toList();
    }

    @Test
    void aFilterSeesOnlyPermittedChannelsOfItsOwnTenant() throws Exception {
        TestClient alice = connect("alice", "user", "t1");
        TestClient bob = connect("bob", "user", "t2");
        TestClient carol = connect("carol", "user", "t1");
        TestClient dave = connect("dave", "user", "t2");
        TestClient root = connect("root", "admin", null);
        for (TestClient watcher : List.of(alice, bob, root)) {
            assertThat(subscribe(watcher, TestClient.parse("{}")).path("status").asText()).isEqualTo("success");
        }

        publish(carol, "tenant-t1", "news", "t1-news-by-carol");   // alice: yes; bob: no permission, other tenant
        publish(carol, "science", "chat", "science-by-carol");     // alice: yes; bob: permitted, other tenant
        publish(dave, "science", "chat", "science-by-dave");       // bob: yes; alice: other tenant
        publish(dave, "tenant-t1", "news", "t1-news-by-dave");     // alice: other tenant; bob: no permission
        publish(carol, "ops", "alerts", "ops-by-carol");           // nobody but admin may subscribe to ops
        publish(carol, "tenant-t1", null, "t1-broadcast-by-carol"); // room broadcast: needs tenant-t1:*
        server.bus().publish("science", "explore", TestClient.object().put("tag", "science-by-host"));
        server.bus().publish("ops", "alerts", TestClient.object().put("tag", "ops-by-host"));
        server.bus().publish("tenant-t2", "news", TestClient.object().put("tag", "t2-news-by-host"));

        assertThat(tags(alice)).containsExactly("science-by-carol", "science-by-host", "t1-broadcast-by-carol",
                "t1-news-by-carol");
        assertThat(tags(bob)).containsExactly("science-by-dave", "science-by-host", "t2-news-by-host");
        // The admin has no tenant: it sees host publications, and those of connections without a tenant.
        assertThat(tags(root)).containsExactly("ops-by-host", "science-by-host", "t2-news-by-host");
    }

    @Test
    void aPrivateChannelAdmitsOnlyItsListAndItsTrafficReachesNoOtherFilter() throws Exception {
        TestClient root = connect("root2", "admin", null);
        ObjectNode args = TestClient.object().put("room", "club").put("channel", "vip").put("private", true);
        args.putArray("members").add("erin").add("frank");
        JsonNode created = root.command("create_channel", args).get();
        assertThat(created.path("status").asText()).isEqualTo("success");
        assertThat(created.path("payload").path("data").path("private").asBoolean()).isTrue();

        TestClient erin = connect("erin", "user", "t1");
        TestClient frank = connect("frank", "user", "t1");
        TestClient gina = connect("gina", "user", "t1");
        assertThat(erin.joinChannel("club", "vip").get().path("status").asText()).isEqualTo("success");
        JsonNode refused = gina.joinChannel("club", "vip").get();
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(refused.path("error").asText()).isEqualTo("Channel club:vip is private and does not list this client");

        JsonNode info = gina.command("channel_info", TestClient.object().put("room", "club").put("channel", "vip"))
                .get().path("payload").path("data");
        assertThat(info.path("private").asBoolean()).isTrue();
        assertThat(info.path("allowed_members")).extracting(JsonNode::asText).containsExactly("erin", "frank");

        subscribe(frank, TestClient.parse("{\"room\":\"club\"}"));
        subscribe(gina, TestClient.parse("{\"room\":\"club\"}"));
        publish(erin, "club", "vip", "vip-by-erin");
        publish(erin, "club", "lounge", "lounge-by-erin");
        assertThat(tags(frank)).containsExactly("lounge-by-erin", "vip-by-erin");
        assertThat(tags(gina)).containsExactly("lounge-by-erin");

        // An outsider may neither post into the private channel nor read its history, alone or room-wide.
        gina.sendText("{\"type\":\"message\",\"room\":\"club\",\"channel\":\"vip\","
                + "\"payload\":{\"tag\":\"intruder\"}}");
        JsonNode error = gina.await(f -> "error".equals(f.path("type").asText()), T);
        assertThat(error.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(error.path("error").asText()).isEqualTo("Channel club:vip is private: only its members may publish to it");
        JsonNode channelHistory = gina.command("history", TestClient.object().put("room", "club")
                .put("channel", "vip")).get();
        assertThat(channelHistory.path("error").asText()).isEqualTo("Channel club:vip is private: its history is for its members");
        JsonNode roomHistory = gina.command("history", TestClient.object().put("room", "club")).get();
        assertThat(roomHistory.path("error").asText()).isEqualTo("Room club holds private channels: name a channel you may read");
        JsonNode memberHistory = erin.command("history", TestClient.object().put("room", "club")
                .put("channel", "vip")).get();
        assertThat(memberHistory.path("payload").path("data").path("history")).extracting(
                h -> h.path("payload").path("tag").asText()).containsExactly("vip-by-erin");
        assertThat(tags(erin)).doesNotContain("intruder");
    }
}
