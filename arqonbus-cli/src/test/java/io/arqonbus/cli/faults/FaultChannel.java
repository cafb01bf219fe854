package io.arqonbus.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The channel a fault test watches: who is present, numbered publications ({@code {"n": i}}) and
 * what a reader received of them, each bounded by {@code timeout}.
 */
record FaultChannel(String room, String channel, Duration timeout) {
    /** The client ids the server lists as present. */
    List<String> present(TestClient asker) throws Exception {
        return presence(asker).path("clients").findValuesAsText("client_id");
    }

    /** The member count the server reports. */
    int count(TestClient asker) throws Exception {
        return presence(asker).path("count").asInt();
    }

    private JsonNode presence(TestClient asker) throws Exception {
        ObjectNode args = TestClient.object();
        args.put("room", room);
        args.put("channel", channel);
        JsonNode reply = asker.command("presence", args).get(10, TimeUnit.SECONDS);
        assertSuccess(reply);
        return reply.path("payload").path("data");
    }

    /** Publishes {@code {"n": from}} … {@code {"n": to - 1}}, each accepted before the next. */
    void publish(TestClient publisher, int from, int to) {
        for (int n = from; n < to; n++) {
            publisher.publish(room, channel, Map.of("n", n)).join();
        }
    }

    /** The {@code n} of the first {@code count} publications this reader receives, in arrival order. */
    List<Integer> received(TestClient reader, int count) {
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            JsonNode frame = reader.poll(Duration.ofMillis(200));
            if (frame != null && "message".equals(frame.path("type").asText()) && frame.path("payload").has("n")) {
                seen.add(frame.path("payload").path("n").asInt());
            }
        }
        return seen;
    }

    /** 0, 1, …, {@code count - 1}. */
    static List<Integer> sequence(int count) {
        List<Integer> all = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            all.add(n);
        }
        return all;
    }

    static void assertSuccess(JsonNode reply) {
        assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
    }
}
