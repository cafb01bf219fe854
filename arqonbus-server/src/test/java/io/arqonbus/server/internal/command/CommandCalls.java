package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends commands over a real connection and checks the reply envelope shared by every command. */
final class CommandCalls {
    private CommandCalls() {
    }

    /** Arguments from alternating names and values. */
    static ObjectNode args(Object... pairs) {
        ObjectNode args = TestClient.object();
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value instanceof String s) {
                args.put((String) pairs[i], s);
            } else if (value instanceof Integer n) {
                args.put((String) pairs[i], n);
            } else if (value instanceof Double d) {
                args.put((String) pairs[i], d);
            } else if (value instanceof Boolean b) {
                args.put((String) pairs[i], b);
            } else if (value instanceof JsonNode node) {
                args.set((String) pairs[i], node);
            } else if (value == null) {
                args.putNull((String) pairs[i]);
            } else {
                throw new IllegalArgumentException("unsupported argument " + value);
            }
        }
        return args;
    }

    /** Runs a command and returns its {@code response}, after checking the envelope every reply has. */
    static JsonNode call(TestClient client, String command, ObjectNode args) throws Exception {
        JsonNode reply = client.command(command, args)
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("type").asText()).isEqualTo("response");
        assertThat(reply.path("command").asText()).isEqualTo(command);
        assertThat(reply.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(reply.path("id").asText()).startsWith("arq_");
        assertThat(reply.path("version").asText()).isEqualTo("1.0");
        assertThat(reply.path("timestamp").asText()).endsWith("Z");
        assertThat(reply.path("payload").path("message").isTextual()).isTrue();
        assertThat(reply.path("payload").path("data").isObject()).isTrue();
        return reply;
    }

    /** Runs a command that must succeed and returns {@code payload.data}. */
    static JsonNode ok(TestClient client, String command, ObjectNode args) throws Exception {
        JsonNode reply = call(client, command, args);
        assertThat(reply.path("status").asText()).as("reply %s", reply).isEqualTo("success");
        assertThat(reply.has("error_code")).isFalse();
        return reply.path("payload").path("data");
    }

    /** Runs a command that must fail with this code and returns the reply. */
    static JsonNode error(TestClient client, String command, ObjectNode args, String code) throws Exception {
        JsonNode reply = call(client, command, args);
        assertThat(reply.path("status").asText()).as("reply %s", reply).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).as("reply %s", reply).isEqualTo(code);
        assertThat(reply.path("error").asText()).isNotBlank()
                .isEqualTo(reply.path("payload").path("message").asText());
        assertThat(reply.path("payload").path("data").size()).isZero();
        return reply;
    }

    /** Waits for the legacy {@code command_response} of this request. */
    static JsonNode legacyAck(TestClient client, String requestId) throws TimeoutException {
        return client.await(f -> "command_response".equals(f.path("type").asText())
                && requestId.equals(f.path("id").asText()), ArqonBusExtension.TIMEOUT);
    }

    /** Every {@code response} frame among these for this request id. */
    static List<JsonNode> responsesTo(List<JsonNode> frames, String requestId) {
        return frames.stream()
                .filter(f -> "response".equals(f.path("type").asText())
                        && requestId.equals(f.path("request_id").asText()))
                .toList();
    }
}
