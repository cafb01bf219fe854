package io.arqonbus.server.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.config.TracingMode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tracing off: no tracing part, and a publisher's trace context reaches subscribers unchanged. */
class TracingOffTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.tracing(TracingMode.OFF));

    @Test
    void metadataPassesUnchanged() throws Exception {
        assertThat(server.components().tracing().enabled()).isFalse();
        TestClient subscriber = server.connect();
        TestClient publisher = server.connect();
        subscriber.joinChannel("untraced", "c").get(T.toMillis(), TimeUnit.MILLISECONDS);
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        ObjectNode frame = TestClient.object().put("type", "message").put("room", "untraced").put("channel", "c");
        frame.putObject("payload");
        frame.putObject("metadata").put("traceparent", traceparent).put("tracestate", "k=v");

        publisher.send(frame).join();

        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        assertThat(delivered.path("metadata").path("traceparent").asText()).isEqualTo(traceparent);
        assertThat(delivered.path("metadata").path("tracestate").asText()).isEqualTo("k=v");
    }
}
