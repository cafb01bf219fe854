package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** One long-lived generator writing envelope after envelope, each exactly as {@link EnvelopeCodec#encode} would. */
class EnvelopeWriterTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));

    private Envelope envelope(String payload) {
        return ((Inbound.Message) codec.decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":"
                + payload + "}")).envelope();
    }

    @Test
    void eachEnvelopeIsWrittenWholeAndAloneWithNoSeparator() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter writer = codec.newWriter(out);
        for (String payload : new String[] {"{\"a\":1}", "{}", "{\"pad\":\"" + "x".repeat(20_000) + "\"}", "{\"b\":[true]}"}) {
            Envelope e = envelope(payload);
            out.reset();
            writer.write(e, null);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(codec.encodeToString(e));
        }
    }

    @Test
    void aFailedEnvelopeLeavesNothingBehindForTheNext() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter writer = codec.newWriter(out);
        Envelope e = envelope("{\"a\":1}");
        EnvelopeCodec.PayloadSplice failing = new EnvelopeCodec.PayloadSplice() {
            @Override public boolean canWrite(Envelope envelope) { return false; }
            @Override public void writePayload() { }
            @Override public boolean wantsPayload(Envelope envelope) { return true; }
            @Override public void payloadStarts() { throw new IllegalStateException("boom"); }
            @Override public void payloadEnded(Envelope envelope) { }
        };
        assertThatThrownBy(() -> writer.write(e, failing)).hasMessage("boom");
        out.reset();
        writer.write(e, null);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(codec.encodeToString(e));
    }
}
