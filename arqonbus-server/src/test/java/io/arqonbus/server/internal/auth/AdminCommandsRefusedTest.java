package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.command.builtin.BuiltinCommands;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every admin-only command, under every name it answers to, is refused to an authenticated
 * non-admin with {@code AUTHORIZATION_ERROR} — the list comes from the registry itself, so a new
 * admin command is covered without touching this test.
 */
class AdminCommandsRefusedTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET));

    @Test
    void aNonAdminIsRefusedEveryAdminCommand() throws Exception {
        // The lanes' commands only hold their lane until they run: none is needed to list them.
        CommandRegistry registry = BuiltinCommands.registerAll(new CommandRegistry());
        BuiltinCommands.registerCron(registry, null);
        BuiltinCommands.registerOmega(registry, null);
        List<Command> adminOnly = registry.all().stream().filter(Command::adminOnly).toList();
        assertThat(adminOnly).extracting(Command::name).contains("create_channel", "delete_channel",
                "op.omega.register_substrate", "op.omega.unregister_substrate", "op.omega.emit_event",
                "op.omega.clear_events");
        String token = HandshakeAuthTest.token("mallory", "user", "t1", Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        ArqonBusClient mallory = server.connect(Map.of("Authorization", "Bearer " + token));

        for (Command command : adminOnly) {
            for (String name : names(command)) {
                JsonNode args = ArqonBusClient.object().put("room", "ops").put("channel", "alerts");
                JsonNode reply = mallory.command(name, args).get();
                assertThat(reply.path("status").asText()).as(name).isEqualTo("error");
                assertThat(reply.path("error_code").asText()).as(name).isEqualTo("AUTHORIZATION_ERROR");
                assertThat(reply.path("error").asText()).as(name).contains("requires the admin role");
            }
        }
        JsonNode channels = mallory.command("list_channels", ArqonBusClient.object().put("room", "ops")).get();
        assertThat(channels.path("error_code").asText()).as("nothing was created").isEqualTo("NOT_FOUND");
    }

    private static List<String> names(Command command) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command.name()), command.aliases().stream())
                .toList();
    }
}
