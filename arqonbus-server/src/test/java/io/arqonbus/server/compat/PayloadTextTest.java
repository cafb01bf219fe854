package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.payloadText;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client's payload reaches subscribers and the publisher's {@code message_response} as the
 * client wrote it — unless an object in it repeats a name, when the server writes it again from the
 * value it read; a frame that is not strict UTF-8 is refused (docs/protocol.md §2).
 */
class PayloadTextTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension();
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    /** A subscriber of {@code payload-text:channel} and a publisher, both past their welcome. */
    private static RawWebSocket[] pair(String channel) throws Exception {
        RawWebSocket subscriber = raw.connect();
        subscriber.await(f -> f.path("payload").has("welcome"), T);
        subscriber.send("{\"id\":\"arq_join\",\"type\":\"command\",\"command\":\"join_channel\","
                + "\"args\":{\"room\":\"payload-text\",\"channel\":\"" + channel + "\"}}");
        subscriber.await(commandAckOf("arq_join"), T);
        RawWebSocket publisher = raw.connect();
        publisher.await(f -> f.path("payload").has("welcome"), T);
        return new RawWebSocket[] {subscriber, publisher};
    }

    private static byte[] publish(String channel, String payload) {
        return ("{\"type\":\"message\",\"room\":\"payload-text\",\"channel\":\"" + channel + "\",\"payload\":" + payload
                + "}").getBytes(StandardCharsets.UTF_8);
    }


    @Test
    void thePayloadIsDeliveredAndEchoedAsTheClientWroteIt() throws Exception {
        RawWebSocket[] p = pair("as-written");
        String payload = "{ \"price\" : 1.50, \"big\": 1e2,\n \"name\":\"caf\\u00e9 \u4e2d\", \"list\":[ 1 , {} ] }";
        p[1].sendTextBytes(publish("as-written", payload));
        String delivered = p[0].awaitText(t -> t.contains("\"type\":\"message\""), T);
        assertThat(payloadText(delivered)).isEqualTo(payload);
        String echoed = p[1].awaitText(t -> t.contains("\"type\":\"message_response\""), T);
        assertThat(payloadText(echoed)).isEqualTo(payload);
    }

    @Test
    void aPayloadThatRepeatsANameArrivesWithTheValueTheServerRead() throws Exception {
        RawWebSocket[] p = pair("repeated");
        p[1].sendTextBytes(publish("repeated", "{\"role\":\"admin\",\"n\":{\"x\":1,\"x\":2},\"role\":\"guest\"}"));
        String delivered = p[0].awaitText(t -> t.contains("\"type\":\"message\""), T);
        assertThat(payloadText(delivered)).isEqualTo("{\"role\":\"guest\",\"n\":{\"x\":2}}");
        String echoed = p[1].awaitText(t -> t.contains("\"type\":\"message_response\""), T);
        assertThat(echoed).doesNotContain("admin");
    }

    @Test
    void aFrameThatIsNotStrictUtf8IsRefusedAndNothingIsDelivered() throws Exception {
        RawWebSocket[] p = pair("overlong");
        byte[] frame = publish("overlong", "{\"s\":\"a__b\"}");
        int at = new String(frame, StandardCharsets.ISO_8859_1).indexOf("__");
        frame[at] = (byte) 0xC0; // an overlong '"': not UTF-8, refused like any bad UTF-8
        frame[at + 1] = (byte) 0xA2;
        p[1].sendTextBytes(frame);
        String error = p[1].awaitText(t -> t.contains("\"type\":\"error\""), T);
        assertThat(error).contains("\"error_code\":\"INVALID_JSON\"").contains("the frame is not valid UTF-8");
        // The subscriber's next message is the next valid publication: nothing of the refused one.
        p[1].sendTextBytes(publish("overlong", "{\"n\":2}"));
        String delivered = p[0].awaitText(t -> t.contains("\"type\":\"message\""), T);
        assertThat(payloadText(delivered)).isEqualTo("{\"n\":2}");
    }
}
