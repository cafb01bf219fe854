package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming decoder against the tree decoder it replaced: for every frame, valid or not, both
 * give the same {@link Inbound} (generated ids aside), so every rule and error sentence stays.
 */
class StreamingDecodeTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));

    static Stream<String> frames() {
        String pad = "x".repeat(80);
        String name128 = "n".repeat(128);
        String name129 = "n".repeat(129);
        List<String> frames = new ArrayList<>(List.of(
                // plain publications
                "{\"type\":\"message\",\"room\":\"bench\",\"channel\":\"c0\",\"payload\":{\"bseq\":1,\"bt\":987654321012,\"bp\":0,\"pad\":\"" + pad + "\"}}",
                "{\"id\":\"arq_client-1\",\"timestamp\":\"2026-01-02T03:04:05.678+01:00\",\"version\":\"1.0\",\"type\":\"event\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{},\"args\":{\"a\":[1,2,{\"b\":null}]},\"metadata\":{\"k\":\"v\"}}",
                "  \n {\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"} \n ",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"ack\":\"durable\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"request_id\":\"arq_1\",\"command\":\"x\"}",
                // numbers of every size and kind, nesting, escapes, non-ASCII
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"i\":1,\"neg\":-0,\"l\":12345678901,\"big\":123456789012345678901234567890,\"d\":1.50,\"e\":1e2,\"E\":-2.5E-3,\"t\":true,\"f\":false,\"n\":null}}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"s\":\"caf\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00 \u00fc\u4e2d\",\"a\":[[],[[]],{},[{}]],\"o\":{\"p\":{\"q\":{\"r\":[1,\"2\",3.0]}}}}}",
                // duplicate keys: the last value wins, at the first one's place
                "{\"type\":\"message\",\"type\":\"event\",\"room\":\"r\",\"channel\":\"c\"}",
                "{\"type\":\"message\",\"type\":5,\"room\":\"r\",\"channel\":\"c\"}",
                "{\"type\":5,\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"a\":1,\"b\":2,\"a\":3}}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"a\":1},\"payload\":null}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":null,\"payload\":{\"a\":1}}",
                "{\"type\":null,\"client_id\":\"me\",\"client_id\":\"you\"}",
                // trailing tokens, non-object JSON, empty, malformed
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"} {}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"} x",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"} 1",
                "[1,2]", "[1,2", "\"text\"", "42", "-1.5", "true", "null", "", "   ", "\n",
                "{", "{\"type\"", "{\"type\":}", "{\"type\":\"message\",}", "{\"type\" \"message\"}", "{type:\"message\"}",
                "{'type':'message'}", "{\"type\":\"message\",\"payload\":{\"a\":01}}", "{\"type\":\"message\",\"payload\":{\"a\":NaN}}",
                "{\"type\":\"message\",\"payload\":[1,]}", "{\"type\":\"mess\u0001age\"}", "{\"type\":\"message\" /* c */}",
                "{\"type\":\"message\",\"payload\":{\"s\":\"\\x\"}}",
                // wrong types
                "{\"type\":[\"message\"]}", "{\"type\":{}}", "{\"type\":true}", "{\"type\":\"nope\"}", "{\"type\":\"" + "t".repeat(60) + "\"}",
                "{\"type\":\"response\",\"room\":\"r\"}", "{\"type\":\"error\"}", "{\"type\":\"system\"}",
                "{\"type\":\"message\",\"id\":5,\"timestamp\":true,\"version\":2,\"payload\":[],\"args\":\"a\",\"metadata\":1,\"room\":{},\"channel\":[],\"command\":null,\"request_id\":1.5,\"ack\":false}",
                "{\"type\":\"message\",\"id\":\"nope\",\"timestamp\":\"yesterday\",\"version\":\"2.0\",\"room\":\"r\",\"ack\":\"fast\"}",
                "{\"type\":\"message\",\"id\":\"arq_" + "a".repeat(125) + "\",\"room\":\"r\"}",
                "{\"id\":\"arq_known\"}", "{\"id\":7}", "{}",
                // names: length, white space, control characters, ':' in rooms
                "{\"type\":\"message\",\"room\":\"" + name128 + "\",\"channel\":\"" + name128 + "\"}",
                "{\"type\":\"message\",\"room\":\"" + name129 + "\",\"channel\":\"" + name129 + "\"}",
                "{\"type\":\"message\",\"room\":\"a b\",\"channel\":\"c\\td\"}",
                "{\"type\":\"message\",\"room\":\"\",\"channel\":\"\"}",
                "{\"type\":\"message\",\"room\":\"a:b\",\"channel\":\"c\"}",
                "{\"type\":\"message\",\"room\":\"\u00e9t\u00e9\",\"channel\":\"\ud83d\ude00\"}",
                // unknown fields of every kind
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"from\":\"x\",\"extra\":{\"deep\":[1,{\"x\":null}]},\"n\":1e400,\"big\":1234567890123456789012345678901234567890}",
                // the seed's legacy shapes
                "{\"type\":\"event\",\"room\":\"science:explore\",\"message\":\"hi\",\"from\":\"x\",\"to\":\"b\"}",
                "{\"type\":\"message\",\"room\":\"science:explore\",\"channel\":\"other\"}",
                "{\"type\":\"message\",\"room\":\"science:\",\"message\":{\"nested\":true}}",
                "{\"type\":\"message\",\"room\":\"r\",\"message\":\"outer\",\"payload\":{\"message\":\"inner\"}}",
                "{\"type\":\"message\",\"room\":\"r\",\"message\":null,\"payload\":{\"a\":1}}",
                "{\"type\":\"message\",\"room\":\"r\",\"message\":[1,2],\"payload\":{\"a\":1}}",
                "{\"type\":\"private\",\"to\":[\"a\",\"b\"],\"payload\":{}}",
                "{\"type\":\"private\",\"to\":[],\"payload\":{}}",
                "{\"type\":\"private\",\"to\":[\"a\",1]}",
                "{\"type\":\"private\",\"to\":{\"a\":1}}",
                "{\"type\":\"private\",\"payload\":{\"target\":[\"a\",\"b\"]}}",
                "{\"type\":\"private\",\"payload\":{\"target\":\"a\"}}",
                "{\"type\":\"private\",\"payload\":{\"target\":5}}",
                "{\"type\":\"command\",\"payload\":{\"command\":\"status\",\"parameters\":{\"a\":1}}}",
                "{\"type\":\"command\",\"payload\":{\"command\":\"status\",\"parameters\":[1]}}",
                "{\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"r\",\"channel\":\"c\"}}",
                "{\"type\":\"command\",\"command\":\" \"}", "{\"type\":\"command\"}",
                "{\"type\":\"command\",\"command\":\"" + "c".repeat(257) + "\"}",
                "{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"e\",\"x\":1}}",
                "{\"type\":\"telemetry\",\"payload\":{\"eventType\":\" \"}}", "{\"type\":\"telemetry\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"metadata\":{\"offset\":3,\"epoch\":\"e\",\"k\":\"v\"}}",
                // identification
                "{\"client_id\":\"my-client-1\",\"client_type\":\"app\",\"room\":\"science:explore\",\"screen_name\":\"MyApp\",\"avatar\":null,\"personality\":{}}",
                "{\"client_id\":\"arqonbus\"}", "{\"client_id\":\"a b\"}", "{\"client_id\":\"\"}", "{\"client_id\":5}",
                "{\"client_id\":\"" + "i".repeat(129) + "\"}", "{\"client_type\":\"" + "t".repeat(257) + "\",\"screen_name\":\"" + "s".repeat(257) + "\"}",
                "{\"avatar\":{\"url\":\"x\"},\"personality\":[1]}", "{\"screen_name\":null}",
                "{\"client_id\":\"me\",\"room\":\"a b\",\"channel\":\"c\"}"));
        StringBuilder deep = new StringBuilder("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":");
        deep.append("{\"a\":[".repeat(400)).append("1").append("]}".repeat(400)).append('}');
        frames.add(deep.toString());
        StringBuilder tooDeep = new StringBuilder("{\"type\":\"message\",\"payload\":");
        tooDeep.append("[".repeat(1100)).append("]".repeat(1100)).append('}');
        frames.add(tooDeep.toString());
        return frames.stream();
    }

    @ParameterizedTest
    @MethodSource("frames")
    void streamingAndTreeDecodingAgree(String frame) throws Exception {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        Inbound streamed = normalized(frame, codec.decode(bytes));
        Inbound tree = normalized(frame, codec.decodeTree(bytes, 0, bytes.length));
        assertThat(streamed).isEqualTo(tree);
        assertThat(normalized(frame, codec.decode(frame))).isEqualTo(normalized(frame, codec.decodeTree(frame)));
        if (streamed instanceof Inbound.Message m) {
            assertSameNodeClasses(m.envelope().payload(), ((Inbound.Message) tree).envelope().payload());
            // Written from the tree, both are the same; the streamed one is written from its text.
            Envelope fromTree = m.envelope().toBuilder().payloadJson(null).build();
            assertThat(codec.encodeToString(fromTree))
                    .isEqualTo(codec.encodeToString(((Inbound.Message) tree).envelope()));
            if (m.envelope().payloadJson() != null) {
                assertThat(codec.mapper().readTree(m.envelope().payloadJson().toString()))
                        .isEqualTo(m.envelope().payload());
            }
        }
    }

    @Test
    void bytesInsideALargerArrayAreDecodedInPlace() {
        String frame = "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"a\":1}}";
        byte[] inner = frame.getBytes(StandardCharsets.UTF_8);
        byte[] outer = new byte[inner.length + 10];
        java.util.Arrays.fill(outer, (byte) '}');
        System.arraycopy(inner, 0, outer, 5, inner.length);
        Inbound inbound = codec.decode(outer, 5, inner.length);
        assertThat(inbound).isInstanceOf(Inbound.Message.class);
        assertThat(((Inbound.Message) inbound).envelope().payload().path("a").asInt()).isEqualTo(1);
        assertThat(((Inbound.Message) inbound).envelope().payloadJson()).hasToString("{\"a\":1}");
    }

    @Test
    void aPayloadKeepsTheTextItWasReadFrom() {
        // Multi-byte characters before and inside the payload: the text is cut by bytes, not chars.
        String payload = "{ \"s\" : \"ü中\\u00e9\", \"n\":1.50e0,\n \"x\":[{}] }";
        Envelope e = bytesDecoded("{\"room\":\"rü\",\"type\":\"message\",\"channel\":\"c\",\"payload\":" + payload
                + ",\"metadata\":{\"k\":\"中\"}}");
        assertThat(e.payloadJson()).hasToString(payload);
        assertThat(e.payloadJson().isTextOf(e.payload())).isTrue();
        assertThat(e.payloadJson().length()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aPayloadThatRepeatsANameKeepsNoText() {
        assertThat(bytesDecoded("{\"type\":\"message\",\"payload\":{\"a\":1,\"a\":2}}").payloadJson()).isNull();
        assertThat(bytesDecoded("{\"type\":\"message\",\"payload\":{\"o\":{\"b\":1,\"b\":2}}}").payloadJson()).isNull();
        assertThat(bytesDecoded("{\"type\":\"message\",\"payload\":{\"l\":[{\"c\":1,\"c\":2}]}}").payloadJson()).isNull();
        // A payload given twice: the last one, with its own text.
        Envelope twice = bytesDecoded("{\"type\":\"message\",\"payload\":{\"a\":1},\"payload\":{\"b\":2}}");
        assertThat(twice.payloadJson()).hasToString("{\"b\":2}");
        assertThat(twice.payloadJson().isTextOf(twice.payload())).isTrue();
    }

    @Test
    void aFrameThatIsNotStrictUtf8IsRefusedAsNotUtf8() {
        // Overlong forms, encoded surrogates and code points past U+10FFFF: Jackson (2.21 and later)
        // refuses them as it refuses any bad UTF-8, so no such text is ever passed on.
        int[][] sequences = {{0xC0, 0xA2}, {0xE0, 0x80, 0xA2}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}};
        for (int[] sequence : sequences) {
            byte[] head = "{\"type\":\"message\",\"payload\":{\"s\":\"a".getBytes(StandardCharsets.UTF_8);
            byte[] frame = java.util.Arrays.copyOf(head, head.length + sequence.length + 4);
            for (int i = 0; i < sequence.length; i++) {
                frame[head.length + i] = (byte) sequence[i];
            }
            System.arraycopy("b\"}}".getBytes(StandardCharsets.UTF_8), 0, frame, head.length + sequence.length, 4);
            Inbound decoded = codec.decode(frame);
            assertThat(decoded).as(java.util.Arrays.toString(sequence)).isInstanceOf(Inbound.Invalid.class);
            Inbound.Invalid invalid = (Inbound.Invalid) decoded;
            assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_JSON);
            assertThat(invalid.error()).startsWith("Invalid JSON: the frame is not valid UTF-8 at line 1, column ");
        }
    }

    @Test
    void aPayloadTheDecoderRewritesIsNotItsText() {
        // The original's legacy 'message' field is moved into a copy of the payload.
        Envelope legacy = bytesDecoded("{\"type\":\"message\",\"payload\":{\"a\":1},\"message\":\"hi\"}");
        assertThat(legacy.payload().path("message").asText()).isEqualTo("hi");
        assertThat(legacy.payloadJson()).isNull();
        assertThat(codec.encodeToString(legacy)).contains("\"payload\":{\"a\":1,\"message\":\"hi\"}");
    }

    private Envelope bytesDecoded(String frame) {
        Inbound inbound = codec.decode(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(inbound).isInstanceOf(Inbound.Message.class);
        return ((Inbound.Message) inbound).envelope();
    }

    @Test
    void refusalsKeepTheirSentences() {
        assertThat(invalid("[1]").error()).isEqualTo("Invalid JSON: the frame must be a JSON object, not an array");
        assertThat(invalid("  ").error()).isEqualTo("Invalid JSON: the frame is empty");
        assertThat(invalid("{\"type\":\"message\"} {}").error()).startsWith("Invalid JSON: something follows the JSON object");
        assertThat(invalid("{\"type\":5,\"room\":1}").error()).isEqualTo("'type' must be a string");
        assertThat(invalid("{\"type\":\"message\",\"type\":5}").error()).isEqualTo("'type' must be a string");
        Inbound.Invalid names = invalid("{\"type\":\"message\",\"room\":\"" + "n".repeat(129) + "\",\"channel\":\"a b\"}");
        assertThat(names.errors()).containsExactly(
                "'room' must be 1-128 printable characters without white space or ':'",
                "'channel' must be 1-128 printable characters without white space");
        assertThat(invalid("{\"type\":\"message\",\"payload\":[],\"request_id\":1}").errors()).containsExactly(
                "'payload' must be an object, not an array", "'request_id' must be a string, not a number");
    }

    @Test
    void unknownFieldsAreIgnoredAndNotKept() {
        Inbound inbound = codec.decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"from\":\"x\",\"payload\":{\"a\":1}}");
        Envelope e = ((Inbound.Message) inbound).envelope();
        assertThat(codec.encodeToString(e)).doesNotContain("from");
    }

    private Inbound.Invalid invalid(String frame) {
        Inbound inbound = codec.decode(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(inbound).isInstanceOf(Inbound.Invalid.class);
        return (Inbound.Invalid) inbound;
    }

    /** Ids the codec generated differ between two decodes; everything else must not. */
    private static Inbound normalized(String frame, Inbound inbound) {
        if (inbound instanceof Inbound.Message m && !frame.contains(m.envelope().id())) {
            return new Inbound.Message(m.envelope().toBuilder().id("arq_generated").build());
        }
        return inbound;
    }

    private static void assertSameNodeClasses(JsonNode a, JsonNode b) {
        assertThat(a.getClass()).isEqualTo(b.getClass());
        if (a.isContainerNode()) {
            assertThat(a.size()).isEqualTo(b.size());
            if (a.isObject()) {
                List<String> names = new ArrayList<>();
                a.fieldNames().forEachRemaining(names::add);
                List<String> otherNames = new ArrayList<>();
                b.fieldNames().forEachRemaining(otherNames::add);
                assertThat(names).isEqualTo(otherNames);
                names.forEach(n -> assertSameNodeClasses(a.get(n), b.get(n)));
            } else {
                for (int i = 0; i < a.size(); i++) {
                    assertSameNodeClasses(a.get(i), b.get(i));
                }
            }
        }
    }

    @Test
    void treesMatchTheMapperNodeForNode() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String json = "{\"i\":1,\"m\":-2147483649,\"l\":9223372036854775807,\"b\":9223372036854775808,"
                + "\"d\":0.1,\"e\":1E+3,\"s\":\"\",\"a\":[true,false,null,{}],\"o\":{\"x\":1,\"x\":[2]}}";
        try (var parser = mapper.getFactory().createParser(json)) {
            parser.nextToken();
            JsonNode streamed = JsonTrees.read(parser);
            JsonNode tree = mapper.readTree(json);
            assertThat(streamed).isEqualTo(tree);
            assertSameNodeClasses(streamed, tree);
            assertThat(streamed).isInstanceOf(ObjectNode.class);
        }
    }
}
