package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Decoding client frames and encoding server envelopes (protocol §3, §6). */
class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));

    private Envelope message(String json) {
        Inbound inbound = codec.decode(json);
        assertThat(inbound).isInstanceOf(Inbound.Message.class);
        return ((Inbound.Message) inbound).envelope();
    }

    private Inbound.Invalid invalid(String json) {
        Inbound inbound = codec.decode(json);
        assertThat(inbound).isInstanceOf(Inbound.Invalid.class);
        return (Inbound.Invalid) inbound;
    }

    @Test
    void defaultsAreFilled() {
        Envelope e = message("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}");
        assertThat(e.id()).startsWith("arq_");
        assertThat(e.timestamp()).isEqualTo("2026-11-22T04:05:00.445Z");
        assertThat(e.version()).isEqualTo("1.0");
        assertThat(e.payload().isEmpty()).isTrue();
    }

    @Test
    void seedShapes() {
        Envelope e = message("{\"type\":\"event\",\"room\":\"science:explore\",\"message\":\"hi\",\"from\":\"x\",\"to\":\"b\"}");
        assertThat(e.type()).isEqualTo(MessageType.EVENT);
        assertThat(e.room()).isEqualTo("science");
        assertThat(e.channel()).isEqualTo("explore");
        assertThat(e.payload().path("message").asText()).isEqualTo("hi");
        assertThat(e.to()).containsExactly("b");
        Envelope kept = message("{\"type\":\"message\",\"room\":\"r\",\"message\":\"outer\",\"payload\":{\"message\":\"inner\"}}");
        assertThat(kept.payload().path("message").asText()).isEqualTo("inner");
    }

    @Test
    void legacyCommandShape() {
        Envelope e = message("{\"type\":\"command\",\"payload\":{\"command\":\"status\",\"parameters\":{\"a\":1}}}");
        assertThat(e.command()).isEqualTo("status");
        assertThat(e.args().path("a").asInt()).isEqualTo(1);
    }

    @Test
    void identification() {
        Inbound inbound = codec.decode("{\"client_id\":\"my-client-1\",\"client_type\":\"app\",\"room\":\"science:explore\",\"screen_name\":\"MyApp\",\"avatar\":null,\"personality\":{}}");
        assertThat(inbound).isInstanceOf(Inbound.Identify.class);
        Identification id = ((Inbound.Identify) inbound).identification();
        assertThat(id.clientId()).isEqualTo("my-client-1");
        assertThat(id.room()).isEqualTo("science");
        assertThat(id.channel()).isEqualTo("explore");
        assertThat(id.avatar()).isNull();
    }

    @Test
    void reservedClientIdsAreRefused() {
        for (String reserved : new String[] {"arqonbus", "op-cron", "op-omega", "Op-Cron"}) {
            Inbound.Invalid invalid = invalid("{\"client_id\":\"" + reserved + "\"}");
            assertThat(invalid.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(invalid.error()).contains("reserved");
        }
    }

    @Test
    void clientStreamPositionsAreDropped() {
        Envelope e = message("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"metadata\":{\"offset\":3,\"epoch\":\"e\",\"k\":\"v\"}}");
        assertThat(e.metadata().has("offset")).isFalse();
        assertThat(e.metadata().has("epoch")).isFalse();
        assertThat(e.metadata().path("k").asText()).isEqualTo("v");
    }

    @Test
    void invalidJsonAndNonObjects() {
        assertThat(invalid("{").code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(invalid("[]").error()).isEqualTo("Invalid JSON: the frame must be a JSON object, not an array");
        assertThat(invalid("").code()).isEqualTo(ErrorCode.INVALID_JSON);
        Inbound badUtf8 = codec.decode(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        assertThat(((Inbound.Invalid) badUtf8).code()).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void validationCollectsEveryProblemAndKeepsTheRequestId() {
        Inbound.Invalid invalid = invalid("{\"id\":\"arq_x1\",\"type\":\"message\",\"version\":\"2\",\"payload\":1,\"args\":[],\"timestamp\":\"no\"}");
        assertThat(invalid.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(invalid.requestId()).isEqualTo("arq_x1");
        assertThat(invalid.errors()).hasSize(4);
        assertThat(invalid.error()).startsWith("Validation error: ");
        assertThat(invalid("{\"type\":\"system\"}").error()).isEqualTo("Clients may not send 'system' envelopes");
        assertThat(invalid("{\"type\":\"bogus\"}").error()).startsWith("Unknown message type 'bogus'");
        assertThat(invalid("{\"id\":\"x\",\"type\":\"message\"}").errors()).hasSize(1);
    }

    @Test
    void encodingWritesTheAlwaysPresentFieldsAndThePosition() throws Exception {
        Envelope e = message("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"metadata\":{\"k\":1}}")
                .toBuilder().sender("arq_client_1").position(new StreamPosition(7, "ep")).build();
        JsonNode json = new ObjectMapper().readTree(new String(codec.encodeToBytes(e), StandardCharsets.UTF_8));
        assertThat(json.fieldNames()).toIterable().contains("id", "timestamp", "type", "version", "payload", "args", "metadata");
        assertThat(json.path("metadata").path("offset").asLong()).isEqualTo(7);
        assertThat(json.path("metadata").path("epoch").asText()).isEqualTo("ep");
        assertThat(json.path("metadata").path("k").asInt()).isEqualTo(1);
        assertThat(json.has("error")).isFalse();
    }
}
