package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code INVALID_JSON} refusals say what is wrong in a sentence of their own, with the line and
 * column, and never carry the parser's message: no parser class or setting names, no token type
 * names, no source description.
 */
class InvalidJsonSentencesTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());

    /** What a refusal must never contain: words that only mean something inside the parser. */
    private static final List<String> INTERNALS = List.of("StreamReadConstraints", "JsonReadFeature",
            "DeserializationFeature", "jackson", "fasterxml", "Source", "REDACTED", "`", "VALUE_", "START_",
            "CTRL-CHAR", "(code ", "getMax", "JsonNode", "bound as", "Trailing token");

    private Inbound.Invalid fromBytes(String frame) {
        return fromBytes(frame.getBytes(StandardCharsets.UTF_8));
    }

    private Inbound.Invalid fromBytes(byte[] frame) {
        Inbound inbound = codec.decode(frame);
        assertThat(inbound).isInstanceOf(Inbound.Invalid.class);
        Inbound.Invalid invalid = (Inbound.Invalid) inbound;
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_JSON);
        for (String word : INTERNALS) {
            assertThat(invalid.error()).as("the sentence for %s", abbreviated(frame)).doesNotContainIgnoringCase(word);
        }
        assertThat(invalid.errors()).containsExactly(invalid.error());
        return invalid;
    }

    private static String abbreviated(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    @Test
    void tooDeeplyNested() {
        String deep = "{\"type\":\"message\",\"payload\":{\"a\":" + "[".repeat(1200) + "]".repeat(1200) + "}}";
        assertThat(fromBytes(deep).error())
                .isEqualTo("Invalid JSON: objects and arrays are nested more than 1000 levels deep");
        assertThat(codec.decode(deep)).isEqualTo(codec.decode(deep.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNumberTooLong() {
        assertThat(fromBytes("{\"type\":\"message\",\"payload\":{\"n\":" + "9".repeat(1500) + "}}").error())
                .isEqualTo("Invalid JSON: a number is longer than 1000 characters");
        assertThat(fromBytes("{\"payload\":{\"n\":0." + "1".repeat(1500) + "}}").error())
                .isEqualTo("Invalid JSON: a number is longer than 1000 characters");
    }

    @Test
    void aStringTooLong() {
        // Longer than any message the server takes by default; the parser's own bound.
        String frame = "{\"type\":\"message\",\"payload\":{\"s\":\"" + "x".repeat(20_000_001) + "\"}}";
        assertThat(fromBytes(frame).error()).isEqualTo("Invalid JSON: a string is longer than 20000000 characters");
    }

    @Test
    void aFieldNameTooLong() {
        assertThat(fromBytes("{\"" + "k".repeat(60_000) + "\":1}").error())
                .isEqualTo("Invalid JSON: a field name is longer than 50000 characters");
    }

    @Test
    void syntaxErrorsSayWhatAndWhere() {
        assertThat(fromBytes("{nope").error()).isEqualTo("Invalid JSON: unexpected character 'n' at line 1, column 2");
        assertThat(fromBytes("{\"a\":1,}").error()).isEqualTo("Invalid JSON: unexpected character '}' at line 1, column 8");
        assertThat(fromBytes("{\n  \"a\": [1,\n 2 x]}").error())
                .isEqualTo("Invalid JSON: unexpected character 'x' at line 3, column 4");
        assertThat(fromBytes("{\"a\":\"unterminated").error())
                .isEqualTo("Invalid JSON: the frame ends before the JSON does (a string, object or array is not closed)");
        assertThat(fromBytes("{\"type\":\"message\"} {}").error())
                .isEqualTo("Invalid JSON: something follows the JSON object at line 1, column 20; send one JSON object per frame");
        assertThat(fromBytes("{\"a\":tru}").error()).startsWith("Invalid JSON: a value that is not JSON at line 1, column ");
        assertThat(fromBytes("{\"a\":NaN}").error()).startsWith("Invalid JSON: a value that is not JSON at line 1");
        assertThat(fromBytes("{\"a\":01}").error()).isEqualTo("Invalid JSON: a malformed number at line 1, column 7");
        assertThat(fromBytes("{\"a\":\"\u0001\"}").error())
                .isEqualTo("Invalid JSON: a control character inside a string must be escaped (\\n, \\t, \\u0001…) at line 1, column 7");
        assertThat(fromBytes("{\"a\":\"\\q\"}").error()).startsWith("Invalid JSON: an invalid escape sequence in a string at line 1");
    }

    @Test
    void notUtf8() {
        assertThat(fromBytes(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}).error())
                .startsWith("Invalid JSON: the frame is not valid UTF-8 at line 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":[1,]}", "{\"a\":1e}", "{\"a\":-}",
            "{\"a\":\"\\u12\"}", "{\"a\":{}", "[[[", "{\"a\":true false}", "\u0000", "{\"a\":'x'}"})
    void anyBrokenFrameGetsASentenceWithoutParserInternals(String frame) {
        assertThat(fromBytes(frame).error()).startsWith("Invalid JSON: ").doesNotContain("not well-formed");
        Inbound fromString = codec.decode(frame);
        assertThat(fromString).isInstanceOf(Inbound.Invalid.class);
        for (String word : INTERNALS) {
            assertThat(((Inbound.Invalid) fromString).error()).doesNotContainIgnoringCase(word);
        }
    }
}
