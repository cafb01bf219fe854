package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The omega lane is off by default: status says so, everything else is {@code FEATURE_DISABLED}. */
class OmegaDisabledTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(OperatorTokens.SECRET));

    private static final List<String> COMMANDS = List.of("op.omega.register_substrate", "op.omega.list_substrates",
            "op.omega.unregister_substrate", "op.omega.emit_event", "op.omega.list_events", "op.omega.clear_events");

    @Test
    void offStatusAnswersAndEveryOtherCommandIsFeatureDisabled() throws Exception {
        TestClient admin = server.connect(Map.of("Authorization", "Bearer " + OperatorTokens.token("root",
                "admin")));
        JsonNode status = ok(admin, "op.omega.status", args());
        assertThat(status.path("enabled").asBoolean()).isFalse();
        assertThat(status.path("lab_room").asText()).isEqualTo("omega-lab");
        assertThat(status.path("max_events").asInt()).isEqualTo(1000);
        assertThat(status.path("max_substrates").asInt()).isEqualTo(128);
        for (String command : COMMANDS) {
            JsonNode reply = error(admin, command, args("name", "x", "kind", "y", "substrate_id", "x",
                    "signal", "s"), "FEATURE_DISABLED");
            assertThat(reply.path("error").asText()).as(command).contains("ARQONBUS_OMEGA_ENABLED");
        }
        TestClient user = server.connect(Map.of("Authorization", "Bearer " + OperatorTokens.token("alice",
                "user")));
        error(user, "op.omega.list_events", args(), "FEATURE_DISABLED");
        error(user, "op.omega.emit_event", args(), "AUTHORIZATION_ERROR");
    }
}
