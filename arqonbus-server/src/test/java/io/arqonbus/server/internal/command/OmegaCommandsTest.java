package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.OmegaSettings;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code op.omega.*} with the lane on: every command, the bounds, the broadcast and the admin rule. */
class OmegaCommandsTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(OperatorTokens.SECRET)
            .omega(OmegaSettings.defaults().withEnabled(true).withMaxEvents(3).withMaxSubstrates(2)));

    private static TestClient connect(String sub, String role) throws Exception {
        return server.connect(Map.of("Authorization", "Bearer " + OperatorTokens.token(sub, role)));
    }

    @AfterEach
    void emptyTheLab() throws Exception {
        TestClient admin = connect("cleaner", "admin");
        for (JsonNode substrate : ok(admin, "op.omega.list_substrates", args()).path("substrates")) {
            ok(admin, "op.omega.unregister_substrate", args("substrate_id", substrate.path("substrate_id").asText()));
        }
        ok(admin, "op.omega.clear_events", args());
    }

    @Test
    void statusReportsTheLaneAndItsCounts() throws Exception {
        TestClient user = connect("alice", "user");
        JsonNode status = ok(user, "op.omega.status", args());
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("lab_room").asText()).isEqualTo("omega-lab");
        assertThat(status.path("lab_channel").asText()).isEqualTo("signals");
        assertThat(status.path("max_events").asInt()).isEqualTo(3);
        assertThat(status.path("max_substrates").asInt()).isEqualTo(2);
        assertThat(status.path("substrate_count").asInt()).isZero();
        assertThat(status.path("event_count").asInt()).isZero();
        assertThat(status.path("runtime").path("backend").asText()).isEqualTo("memory");
        assertThat(status.path("runtime").path("started_at").asText()).endsWith("Z");
        assertThat(keys(status)).containsExactly("enabled", "lab_room", "lab_channel", "max_events", "max_substrates",
                "substrate_count", "event_count", "runtime");
        assertThat(keys(status.path("runtime"))).containsExactly("backend", "started_at", "events_emitted_total",
                "events_dropped_total");
    }

    @Test
    void registerListUnregisterAndTheSubstrateBound() throws Exception {
        TestClient admin = connect("root", "admin");
        JsonNode first = ok(admin, "op.omega.register_substrate", args("name", "photonic-1", "kind", "photonic",
                "metadata", TestClient.object().put("lab", "b2")));
        String firstId = first.path("substrate_id").asText();
        assertThat(firstId).matches("substrate_[0-9a-f]{12}");
        assertThat(first.path("name").asText()).isEqualTo("photonic-1");
        assertThat(first.path("kind").asText()).isEqualTo("photonic");
        assertThat(first.path("metadata").path("lab").asText()).isEqualTo("b2");
        assertThat(first.path("created_at").asText()).endsWith("Z");
        assertThat(first.path("created_by").asText()).isEqualTo(admin.clientId());
        assertThat(first.path("event_count").asLong()).isZero();
        assertThat(keys(first)).containsExactly("substrate_id", "name", "kind", "metadata", "created_at", "created_by",
                "event_count");

        error(admin, "op.omega.register_substrate", args("name", "photonic-1", "kind", "photonic"), "CONFLICT");
        String secondId = ok(admin, "op.omega.register_substrate", args("name", "spin-1", "kind", "spin"))
                .path("substrate_id").asText();
        JsonNode full = error(admin, "op.omega.register_substrate", args("name", "spin-2", "kind", "spin"),
                "CONFLICT");
        assertThat(full.path("error").asText()).contains("ARQONBUS_OMEGA_MAX_SUBSTRATES");

        TestClient user = connect("alice", "user");
        JsonNode all = ok(user, "op.omega.list_substrates", args());
        assertThat(all.path("count").asInt()).isEqualTo(2);
        assertThat(all.path("substrates").get(0).path("substrate_id").asText()).isEqualTo(firstId);
        JsonNode spin = ok(user, "op.omega.list_substrates", args("kind", "spin"));
        assertThat(spin.path("count").asInt()).isEqualTo(1);
        assertThat(spin.path("substrates").get(0).path("substrate_id").asText()).isEqualTo(secondId);

        assertThat(ok(admin, "op.omega.unregister_substrate", args("substrate_id", firstId))
                .path("substrate_id").asText()).isEqualTo(firstId);
        error(admin, "op.omega.unregister_substrate", args("substrate_id", firstId), "NOT_FOUND");
        assertThat(ok(user, "op.omega.status", args()).path("substrate_count").asInt()).isEqualTo(1);
        error(admin, "op.omega.register_substrate", args("kind", "spin"), "VALIDATION_ERROR");
        error(admin, "op.omega.register_substrate", args("name", "x", "kind", "y", "metadata", "no"),
                "VALIDATION_ERROR");
    }

    @Test
    void emitEventBroadcastsTelemetryToTheLabChannelAndKeepsABoundedRing() throws Exception {
        TestClient admin = connect("root", "admin");
        TestClient watcher = connect("watcher", "user");
        watcher.joinChannel("omega-lab", "signals").get();
        String sub = ok(admin, "op.omega.register_substrate", args("name", "probe", "kind", "sensor"))
                .path("substrate_id").asText();

        JsonNode event = ok(admin, "op.omega.emit_event", args("substrate_id", sub, "signal", "pulse",
                "payload", TestClient.object().put("amplitude", 0.5)));
        String eventId = event.path("event_id").asText();
        assertThat(eventId).matches("evt_[0-9a-f]{12}");
        assertThat(event.path("substrate_id").asText()).isEqualTo(sub);
        assertThat(event.path("signal").asText()).isEqualTo("pulse");
        assertThat(event.path("payload").path("amplitude").asDouble()).isEqualTo(0.5);
        assertThat(event.path("created_at").asText()).endsWith("Z");
        assertThat(keys(event)).containsExactly("event_id", "substrate_id", "substrate_name", "kind", "signal",
                "payload", "emitted_by", "created_at", "offset");

        JsonNode broadcast = watcher.await(f -> "telemetry".equals(f.path("type").asText()), T);
        assertThat(broadcast.path("sender").asText()).isEqualTo("op-omega");
        assertThat(broadcast.path("room").asText()).isEqualTo("omega-lab");
        assertThat(broadcast.path("channel").asText()).isEqualTo("signals");
        JsonNode omegaEvent = broadcast.path("payload").path("omega_event");
        assertThat(omegaEvent.path("event_id").asText()).isEqualTo(eventId);
        assertThat(omegaEvent.path("signal").asText()).isEqualTo("pulse");
        assertThat(keys(broadcast.path("payload"))).containsExactly("omega_event");
        assertThat(keys(omegaEvent)).containsExactly("event_id", "substrate_id", "substrate_name", "kind", "signal",
                "payload", "emitted_by", "created_at");
        assertThat(broadcast.path("metadata").path("offset").asLong()).isEqualTo(event.path("offset").asLong());

        for (int i = 2; i <= 4; i++) {
            ok(admin, "op.omega.emit_event", args("substrate_id", sub, "signal", i % 2 == 0 ? "even" : "odd",
                    "payload", TestClient.object().put("i", i)));
        }
        TestClient user = connect("alice", "user");
        JsonNode events = ok(user, "op.omega.list_events", args());
        assertThat(events.path("count").asInt()).as("the ring holds max_events").isEqualTo(3);
        assertThat(events.path("total").asInt()).isEqualTo(3);
        assertThat(keys(events.path("events").get(0))).containsExactly("event_id", "substrate_id", "substrate_name",
                "kind", "signal", "payload", "emitted_by", "created_at");
        assertThat(events.path("events").get(0).path("payload").path("i").asInt()).as("oldest dropped first")
                .isEqualTo(2);
        assertThat(events.path("events").get(2).path("payload").path("i").asInt()).isEqualTo(4);
        JsonNode even = ok(user, "op.omega.list_events", args("signal", "even"));
        assertThat(even.path("count").asInt()).isEqualTo(2);
        JsonNode lastOne = ok(user, "op.omega.list_events", args("substrate_id", sub, "limit", 1));
        assertThat(lastOne.path("events")).hasSize(1);
        assertThat(lastOne.path("events").get(0).path("payload").path("i").asInt()).isEqualTo(4);
        error(user, "op.omega.list_events", args("limit", 4), "VALIDATION_ERROR");
        JsonNode status = ok(user, "op.omega.status", args());
        assertThat(status.path("runtime").path("events_emitted_total").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(ok(user, "op.omega.list_substrates", args()).path("substrates").get(0)
                .path("event_count").asLong()).isEqualTo(4);

        error(admin, "op.omega.emit_event", args("substrate_id", "substrate_000000000000", "signal", "x"),
                "NOT_FOUND");
        error(admin, "op.omega.emit_event", args("substrate_id", sub), "VALIDATION_ERROR");
        assertThat(ok(admin, "op.omega.clear_events", args()).path("cleared").asInt()).isEqualTo(3);
        assertThat(ok(user, "op.omega.list_events", args()).path("count").asInt()).isZero();
    }

    @Test
    void mutationsAreForAdminsOnly() throws Exception {
        TestClient user = connect("mallory", "user");
        for (String command : new String[] {"op.omega.register_substrate", "op.omega.unregister_substrate",
                "op.omega.emit_event", "op.omega.clear_events"}) {
            JsonNode refused = error(user, command, args("name", "x", "kind", "y", "substrate_id", "x",
                    "signal", "s"), "AUTHORIZATION_ERROR");
            assertThat(refused.path("error").asText()).contains("requires the admin role");
        }
        assertThat(ok(user, "op.omega.list_substrates", args()).path("count").asInt()).isZero();
        ok(user, "op.omega.list_events", args());
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
