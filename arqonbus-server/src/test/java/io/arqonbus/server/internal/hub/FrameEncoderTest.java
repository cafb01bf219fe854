package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.testing.Frames.payloadText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.reply.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Whole frames from envelopes; a client's payload passed on in the publication and in the legacy
 * ack as the client wrote it, unless its tree was replaced or it repeats a name.
 */
class FrameEncoderTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC);
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
    private final FrameEncoder encoder = new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT);
    private final Replies replies = new Replies(new IdGenerator(), clock);

    /** A publication decoded from the bytes of a client's frame, as the server decodes them. */
    private Envelope publication(String payloadJson) {
        byte[] frame = ("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":" + payloadJson + "}")
                .getBytes(StandardCharsets.UTF_8);
        Inbound inbound = codec.decode(frame);
        return ((Inbound.Message) inbound).envelope().toBuilder()
                .sender("arq_client_1").position(new StreamPosition(7, "ep")).build();
    }

    /** Encodes, checks the header, and returns the frame's JSON. */
    private String json(Envelope envelope) {
        ByteBuf frame = encoder.encode(envelope);
        try {
            ByteBuf json = FrameEncoder.jsonOf(frame);
            assertThat((int) frame.getUnsignedByte(frame.readerIndex())).isEqualTo(0x81);
            return json.toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Test
    void framesCarryTheEnvelopeAsTheCodecWritesIt() {
        Envelope small = publication("{\"a\":1}");
        assertThat(json(small)).isEqualTo(codec.encodeToString(small));
        Envelope medium = publication("{\"pad\":\"" + "x".repeat(300) + "\"}");
        assertThat(json(medium)).isEqualTo(codec.encodeToString(medium));
        Envelope large = publication("{\"pad\":\"" + "y".repeat(70_000) + "\"}");
        assertThat(json(large)).isEqualTo(codec.encodeToString(large));
    }

    @Test
    void aPayloadIsPassedOnAsTheClientWroteIt() {
        String[] payloads = {
            "{\"bseq\":1,\"bt\":987654321012,\"bp\":0,\"pad\":\"" + "x".repeat(80) + "\"}",
            "{ \"s\" : \"caf\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00 \u4e2d\",\"d\":1.50,\"e\":1e2,"
                    + "\"big\":123456789012345678901234567890,\n\"n\":null,\"a\":[[],{},[{\"x\":false}]]}",
            "{\"pad\":\"" + "z".repeat(70_000) + "\"}",
        };
        for (String payload : payloads) {
            Envelope published = publication(payload);
            String delivered = json(published);
            assertThat(delivered).isEqualTo(codec.encodeToString(published));
            assertThat(payloadText(delivered)).isEqualTo(payload);
            Envelope ack = replies.messageResponse(published);
            String echoed = json(ack);
            assertThat(echoed).isEqualTo(codec.encodeToString(ack));
            assertThat(payloadText(echoed)).isEqualTo(payload);
        }
    }

    @Test
    void aPayloadThatRepeatsANameIsWrittenFromItsTree() {
        // The tree keeps the last value; a reader that keeps the first must not see the other one.
        Envelope published = publication("{\"t\":\"hidden\",\"in\":{\"u\":1,\"u\":2},\"t\":\"shown\"}");
        assertThat(payloadText(json(published))).isEqualTo("{\"t\":\"shown\",\"in\":{\"u\":2}}");
        assertThat(payloadText(json(replies.messageResponse(published)))).doesNotContain("hidden");
    }

    @Test
    void aReplacedPayloadIsWrittenFromItsNewTree() {
        Envelope published = publication("{\"secret\":\"AKIA\", \"n\":1}");
        ObjectNode redacted = published.payload().deepCopy();
        redacted.put("secret", "[REDACTED]");
        Envelope delivered = published.toBuilder().payload(redacted).build();
        assertThat(payloadText(json(delivered))).isEqualTo("{\"secret\":\"[REDACTED]\",\"n\":1}");
        assertThat(payloadText(json(replies.messageResponse(delivered)))).doesNotContain("AKIA");
    }

    @Test
    void aFrameDecodedFromTextIsWrittenFromItsTree() {
        Inbound inbound = codec.decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{ \"a\" : 1 }}");
        Envelope published = ((Inbound.Message) inbound).envelope();
        assertThat(published.payloadJson()).isNull();
        assertThat(payloadText(json(published))).isEqualTo("{\"a\":1}");
    }
}
