package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Publishes and runs channel commands for the channel-bound tests, waiting with a deadline. */
final class ChannelFrames {
    static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final AtomicLong IDS = new AtomicLong();

    private ChannelFrames() {
    }

    /**
     * Publishes to {@code room:channel} and returns the answer for it: the {@code message_response}
     * echo, or the error frame correlated by {@code request_id}.
     */
    static JsonNode publish(TestClient client, String room, String channel) throws Exception {
        String id = "arq_cap_" + IDS.incrementAndGet();
        ObjectNode frame = TestClient.object().put("id", id).put("type", "message").put("room", room)
                .put("channel", channel);
        frame.putObject("payload").put("n", IDS.get());
        client.send(frame).join();
        return client.await(f -> "message_response".equals(f.path("type").asText()) && id.equals(f.path("id").asText())
                || "error".equals(f.path("type").asText()) && id.equals(f.path("request_id").asText()), T);
    }

    /** The code of a publish answer: {@code ok} for an echo, else its {@code error_code}. */
    static String outcome(JsonNode answer) {
        return "error".equals(answer.path("type").asText()) ? answer.path("error_code").asText() : "ok";
    }

    static JsonNode command(TestClient client, String name, String room, String channel) throws Exception {
        ObjectNode args = TestClient.object().put("room", room).put("channel", channel);
        return client.command(name, args).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code success}, or the reply's {@code error_code}. */
    static String replyOutcome(JsonNode reply) {
        return "success".equals(reply.path("status").asText()) ? "success" : reply.path("error_code").asText();
    }
}
