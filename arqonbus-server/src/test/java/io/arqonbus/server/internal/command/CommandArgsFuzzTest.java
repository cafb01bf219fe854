package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coverage-guided fuzzing of every command's arguments (docs/reliability.md, "Fuzzing"), driven as
 * a client drives them: a real bus on loopback, a real WebSocket session, the frame through the
 * decoder, router and {@link CommandDispatcher}. An input is one byte choosing the command, then the
 * {@code args} object as JSON. Invariant: every command answers within the time bound with a
 * success or an error carrying a documented code other than {@code INTERNAL_ERROR}, and the session
 * stays open; the class fails on any leaked buffer ({@code NettyLeakExtension}, paranoid detection).
 */
class CommandArgsFuzzTest {
    /** Every command the bus registers (help's list); a new command belongs here too. */
    static final List<String> COMMANDS = List.of("channel_info", "create_channel", "delete_channel", "help",
            "history", "history.get", "history.replay", "join_channel", "leave_channel", "list_channels",
            "op.casil.get", "op.casil.reload", "op.cron.cancel", "op.cron.list", "op.cron.schedule",
            "op.omega.clear_events", "op.omega.emit_event", "op.omega.list_events", "op.omega.list_substrates",
            "op.omega.register_substrate", "op.omega.status", "op.omega.unregister_substrate", "op.store.delete",
            "op.store.get", "op.store.list", "op.store.set", "op.webhook.list", "op.webhook.register",
            "op.webhook.unregister", "ping", "presence", "refresh", "status", "subscribe", "typing",
            "unsubscribe");
    private static final long REPLY_SECONDS = 5;

    /** Webhooks only to loopback; cron jobs at most every 10 s, so a long run never floods the client. */
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .webhookAllowedHosts(List.of("127.0.0.1", "localhost"))
            .cron(c -> c.withMinInterval(Duration.ofSeconds(10))));

    private TestClient client;

    @FuzzTest(maxDuration = "30s")
    void commandArgs(byte[] input) throws Exception {
        // The client's own connection to the bus, and webhooks (allowed to loopback only, delivered
        // later on the server's threads), are expected: Jazzer's SSRF detector allows loopback for
        // the rest of the run (the returned handle is left open on purpose) and still reports any
        // other destination.
        BugDetectors.allowNetworkConnections((host, port) -> "localhost".equals(host) || "127.0.0.1".equals(host));
        send(input);
    }

    private void send(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String command = COMMANDS.get(Byte.toUnsignedInt(input[0]) % COMMANDS.size());
        JsonNode args;
        try {
            args = TestClient.parse(new String(input, 1, input.length - 1, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return; // not JSON: the envelope decoder's target covers refused frames
        }
        if (!(args instanceof ObjectNode)) {
            return;
        }
        if (client == null || client.isClosed()) {
            client = server.connect();
        }
        JsonNode reply = client.command(command, args).get(REPLY_SECONDS, TimeUnit.SECONDS);
        assertThat(reply.path("status").asText()).as("%s %s -> %s", command, args, reply).isIn("success", "error");
        if ("error".equals(reply.path("status").asText())) {
            assertThat(reply.path("error_code").asText()).as("%s %s -> %s", command, args, reply)
                    .isNotBlank().isNotEqualTo("INTERNAL_ERROR");
        }
        assertThat(client.isClosed()).as("session closed after %s %s", command, args).isFalse();
        client.drain(); // publications the fuzzed commands caused (cron jobs, joins): not kept
    }
}
