package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every admin-only command, under every name it answers to, is refused to an authenticated
 * non-admin with {@code AUTHORIZATION_ERROR} — the list comes from the server's own {@code help},
 * so a new admin command is covered without touching this test.
 */
class AdminCommandsRefusedTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET));

    @Test
    void aNonAdminIsRefusedEveryAdminCommand() throws Exception {
        String token = HandshakeAuthTest.token("mallory", "user", "t1", Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        TestClient mallory = server.connect(Map.of("Authorization", "Bearer " + token));
        JsonNode help = mallory.command("help", TestClient.object()).get();
        List<JsonNode> adminOnly = new ArrayList<>();
        help.path("payload").path("data").path("commands").forEach(row -> {
            if (row.path("admin").asBoolean()) {
                adminOnly.add(row);
            }
        });
        assertThat(adminOnly).extracting(row -> row.path("name").asText()).contains("create_channel",
                "delete_channel", "op.casil.reload", "op.omega.register_substrate", "op.omega.unregister_substrate",
                "op.omega.emit_event", "op.omega.clear_events");

        for (JsonNode command : adminOnly) {
            for (String name : names(command)) {
                JsonNode args = TestClient.object().put("room", "ops").put("channel", "alerts");
                JsonNode reply = mallory.command(name, args).get();
                assertThat(reply.path("status").asText()).as(name).isEqualTo("error");
                assertThat(reply.path("error_code").asText()).as(name).isEqualTo("AUTHORIZATION_ERROR");
                assertThat(reply.path("error").asText()).as(name).contains("requires the admin role");
            }
        }
        JsonNode channels = mallory.command("list_channels", TestClient.object().put("room", "ops")).get();
        assertThat(channels.path("error_code").asText()).as("nothing was created").isEqualTo("NOT_FOUND");
    }

    private static List<String> names(JsonNode command) {
        List<String> names = new ArrayList<>(List.of(command.path("name").asText()));
        command.path("aliases").forEach(alias -> names.add(alias.asText()));
        return names;
    }
}
