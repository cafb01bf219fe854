package io.arqonbus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.routing.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Whole frames from envelopes, and the legacy ack written from the payload bytes of the
 * publication encoded just before it: byte for byte what encoding the ack's tree gives.
 */
class FrameEncoderTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC);
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
    private final FrameEncoder encoder = new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT);
    private final Replies replies = new Replies(new IdGenerator(), clock);

    private Envelope publication(String payloadJson) {
        Inbound inbound = codec.decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":" + payloadJson + "}");
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
    void theAckAfterAPublicationIsWhatEncodingItGives() {
        String[] payloads = {
            "{\"bseq\":1,\"bt\":987654321012,\"bp\":0,\"pad\":\"" + "x".repeat(80) + "\"}",
            "{\"s\":\"caf\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00 \u4e2d\",\"d\":1.50,\"e\":1e2,\"big\":123456789012345678901234567890,"
                    + "\"n\":null,\"a\":[[],{},[{\"x\":false}]]}",
            "{\"pad\":\"" + "z".repeat(PayloadEcho.MAX_BYTES + 10) + "\"}",
        };
        for (String payload : payloads) {
            Envelope published = publication(payload);
            String delivered = json(published);
            Envelope ack = replies.messageResponse(published);
            String echoed = json(ack);
            assertThat(echoed).isEqualTo(codec.encodeToString(ack));
            assertThat(payloadOf(echoed)).isEqualTo(payloadOf(delivered));
        }
    }

    @Test
    void theAckUsesTheBytesOfThatVeryPayloadOnce() {
        Envelope first = publication("{\"n\":1}");
        Envelope second = publication("{\"n\":2}");
        json(first);
        json(second);
        // Not the payload encoded last: encoded from its tree.
        Envelope firstAck = replies.messageResponse(first);
        assertThat(json(firstAck)).isEqualTo(codec.encodeToString(firstAck));

        // The bytes are taken from the publication, not from the tree again: a tree changed in
        // between (which the envelope's contract forbids) shows it.
        Envelope third = publication("{\"n\":3}");
        json(third);
        ((ObjectNode) third.payload()).put("n", 4);
        Envelope thirdAck = replies.messageResponse(third);
        assertThat(json(thirdAck)).contains("\"payload\":{\"n\":3}");
        // Used once: a second ack of the same payload is encoded from the tree.
        assertThat(json(thirdAck)).contains("\"payload\":{\"n\":4}");
    }

    @Test
    void repliesOtherThanTheAckNeverTakeThePublicationsBytes() {
        Envelope published = publication("{\"n\":1}");
        json(published);
        Envelope other = Envelope.builder("arq_x", "2026-11-22T04:05:00.445Z", MessageType.MESSAGE)
                .payload(published.payload()).room("r").channel("c").build();
        ((ObjectNode) published.payload()).put("n", 2);
        assertThat(json(other)).contains("\"payload\":{\"n\":2}");
    }

    private static String payloadOf(String json) {
        int start = json.indexOf("\"payload\":") + "\"payload\":".length();
        int end = json.indexOf(",\"args\":", start);
        return json.substring(start, end);
    }
}
