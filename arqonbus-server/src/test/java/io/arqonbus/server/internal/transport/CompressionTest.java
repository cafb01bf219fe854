package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * permessage-deflate: with compression on, a client that offers it gets it; compressed and
 * uncompressed clients exchange messages on one channel, and fan-out frames (sent uncompressed,
 * RSV1 clear, which the extension allows) arrive intact on the compressing client.
 */
class CompressionTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.compression(true)
            .maxMessageSize(16 * 1024).maxFrameSize(64 * 1024));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void compressedAndPlainClientsShareAChannel() throws Exception {
        RawWebSocket deflating = raw.connect(RawWebSocket.Options.defaults().withCompression());
        deflating.next(T); // the welcome
        assertThat(deflating.extensions()).contains("permessage-deflate");
        RawWebSocket plain = raw.connectWelcomed();
        assertThat(plain.extensions()).as("no extension offered, none agreed").isNullOrEmpty();

        String text = "squeeze ".repeat(200);
        deflating.send("{\"id\":\"arq_j1\",\"type\":\"command\",\"command\":\"join_channel\","
                + "\"args\":{\"room\":\"zip\",\"channel\":\"feed\"}}");
        deflating.await(f -> "arq_j1".equals(f.path("request_id").asText()) && "response".equals(f.path("type").asText()), T);
        plain.send("{\"id\":\"arq_j2\",\"type\":\"command\",\"command\":\"join_channel\","
                + "\"args\":{\"room\":\"zip\",\"channel\":\"feed\"}}");
        plain.await(f -> "arq_j2".equals(f.path("request_id").asText()) && "response".equals(f.path("type").asText()), T);

        // Plain publisher → compressing subscriber (fan-out frame, uncompressed on the wire).
        plain.send("{\"type\":\"message\",\"room\":\"zip\",\"channel\":\"feed\",\"payload\":{\"text\":\"" + text + "\"}}");
        JsonNode got = deflating.await(f -> "message".equals(f.path("type").asText())
                && f.path("payload").has("text"), T);
        assertThat(got.path("payload").path("text").asText()).isEqualTo(text);

        // Compressing publisher (its frames arrive deflated) → plain subscriber.
        deflating.send("{\"type\":\"message\",\"room\":\"zip\",\"channel\":\"feed\",\"payload\":{\"back\":\"" + text + "\"}}");
        JsonNode back = plain.await(f -> "message".equals(f.path("type").asText())
                && f.path("payload").has("back"), T);
        assertThat(back.path("payload").path("back").asText()).isEqualTo(text);
        assertThat(deflating.isOpen()).isTrue();
        assertThat(plain.isOpen()).isTrue();
    }

    @Test
    void aSmallCompressedFrameThatInflatesPastTheMaximumFrameSizeGets1009() throws Exception {
        RawWebSocket neighbour = raw.connectWelcomed();
        RawWebSocket deflating = raw.connect(RawWebSocket.Options.defaults().withCompression());
        deflating.next(T); // the welcome
        // 8 MiB of spaces deflate to a few KiB: far under the 64 KiB frame limit on the wire, far over it inflated.
        deflating.send("{\"type\":\"message\",\"room\":\"zip\",\"channel\":\"feed\",\"payload\":{\"pad\":\""
                + " ".repeat(8 * 1024 * 1024) + "\"}}");
        RawWebSocket.Close close = deflating.closeFrame().get(T.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(io.arqonbus.protocol.CloseCodes.MESSAGE_TOO_BIG);
        assertThat(close.reason()).isEqualTo("frame larger than the maximum frame size once decompressed");
        neighbour.send("{\"id\":\"arq_n\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(neighbour.await(f -> "arq_n".equals(f.path("request_id").asText())
                && "response".equals(f.path("type").asText()), T).path("status").asText()).isEqualTo("success");
    }
}
