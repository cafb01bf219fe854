package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written envelope writer: the original's field order, strings exactly as Jackson writes
 * them, positions written by hand, one reused buffer.
 */
class EnvelopeWriterTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));
    private final ObjectMapper mapper = codec.mapper();

    private static String written(EnvelopeWriter writer) {
        return new String(writer.array(), 0, writer.length(), StandardCharsets.UTF_8);
    }

    @Test
    void everyFieldInTheOriginalsOrder() {
        ObjectNode payload = NODES.objectNode().put("n", 1).put("s", "x");
        ObjectNode args = NODES.objectNode().put("k", true);
        ObjectNode metadata = NODES.objectNode().put("m", 2.5);
        Envelope e = Envelope.builder("arq_1", "2026-11-22T04:05:00.445Z", MessageType.PRIVATE)
                .payload(payload).args(args).metadata(metadata).room("r").channel("c").sender("arq_client_a")
                .command("cmd").requestId("arq_0").status("success").error("bad").errorCode("E").to(List.of("a", "b"))
                .ack("durable").build();
        EnvelopeWriter writer = codec.newWriter();
        writer.write(e);
        assertThat(written(writer)).isEqualTo("{\"id\":\"arq_1\",\"timestamp\":\"2026-11-22T04:05:00.445Z\","
                + "\"type\":\"private\",\"version\":\"1.0\",\"payload\":{\"n\":1,\"s\":\"x\"},\"args\":{\"k\":true},"
                + "\"metadata\":{\"m\":2.5},\"room\":\"r\",\"channel\":\"c\",\"sender\":\"arq_client_a\","
                + "\"command\":\"cmd\",\"request_id\":\"arq_0\",\"status\":\"success\",\"error\":\"bad\","
                + "\"error_code\":\"E\",\"to\":[\"a\",\"b\"],\"ack\":\"durable\"}");
    }

    @Test
    void absentFieldsAreLeftOutAndEmptyTreesAreEmptyObjects() {
        EnvelopeWriter writer = codec.newWriter();
        writer.write(Envelope.builder("arq_1", "t", MessageType.SYSTEM).build());
        assertThat(written(writer)).isEqualTo("{\"id\":\"arq_1\",\"timestamp\":\"t\",\"type\":\"system\","
                + "\"version\":\"1.0\",\"payload\":{},\"args\":{},\"metadata\":{}}");
        writer.write(Envelope.builder("arq_2", "t", MessageType.PRIVATE).to(List.of()).build());
        assertThat(written(writer)).endsWith("\"metadata\":{},\"to\":[]}");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 9, 10, 99, 100, 1_234_567_890_123L, Long.MAX_VALUE})
    void aPositionIsWrittenIntoTheMetadata(long offset) {
        EnvelopeWriter writer = codec.newWriter();
        Envelope bare = Envelope.builder("arq_1", "t", MessageType.MESSAGE).room("r").channel("c")
                .position(new StreamPosition(offset, "ep")).build();
        writer.write(bare);
        assertThat(written(writer)).contains("\"metadata\":{\"offset\":" + offset + ",\"epoch\":\"ep\"},");
        // With free metadata of its own: the position last, any offset/epoch the client put there replaced.
        ObjectNode metadata = NODES.objectNode().put("trace", "t1").put("offset", -1).put("epoch", "forged");
        writer.write(bare.withMetadata(metadata));
        assertThat(written(writer)).contains("\"metadata\":{\"trace\":\"t1\",\"offset\":" + offset + ",\"epoch\":\"ep\"},");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "q\"uote", "back\\slash", "tab\there", "nl\n", "ctl\u0001", "del\u007f",
        "caf\u00e9", "\u4e2d", "emoji \ud83d\ude00", "lone \ud800", "/slash", ""})
    void stringsAreWrittenAsJacksonWritesThem(String text) throws Exception {
        EnvelopeWriter writer = codec.newWriter();
        writer.write(Envelope.builder("arq_1", "t", MessageType.ERROR).room(text).error(text).build());
        String quoted = new String(mapper.writeValueAsBytes(text), StandardCharsets.UTF_8); // Jackson's UTF-8 output
        assertThat(written(writer)).contains("\"room\":" + quoted + ",").endsWith("\"error\":" + quoted + "}");
        assertThat(mapper.readTree(written(writer)).get("error").asText()).isEqualTo(text.contains("\ud800") ? mapper
                .readTree(quoted).asText() : text);
    }

    @Test
    void theBufferIsReusedFromEnvelopeToEnvelope() {
        EnvelopeWriter writer = codec.newWriter();
        for (String pad : new String[] {"a", "x".repeat(100_000), "b", "y".repeat(3_000), ""}) {
            Envelope e = Envelope.builder("arq_1", "t", MessageType.MESSAGE)
                    .payload(NODES.objectNode().put("pad", pad)).build();
            writer.write(e);
            assertThat(written(writer)).isEqualTo(codec.encodeToString(e))
                    .contains("\"payload\":{\"pad\":\"" + pad + "\"}");
        }
    }

    @Test
    void aFailedEnvelopeLeavesNothingBehindForTheNext() {
        EnvelopeWriter writer = codec.newWriter();
        ObjectNode failing = NODES.objectNode();
        failing.set("bad", NODES.pojoNode(new Object() {
            @SuppressWarnings("unused")
            public String getValue() {
                throw new IllegalStateException("boom");
            }
        }));
        failing.set("raw", NODES.rawValueNode(new RawValue("1")));
        Envelope bad = Envelope.builder("arq_1", "t", MessageType.MESSAGE).payload(failing).build();
        assertThatThrownBy(() -> writer.write(bad)).hasStackTraceContaining("boom");
        Envelope good = Envelope.builder("arq_2", "t", MessageType.MESSAGE).payload(NODES.objectNode().put("a", 1)).build();
        writer.write(good);
        assertThat(written(writer)).isEqualTo("{\"id\":\"arq_2\",\"timestamp\":\"t\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":{\"a\":1},\"args\":{},\"metadata\":{}}");
    }
}
