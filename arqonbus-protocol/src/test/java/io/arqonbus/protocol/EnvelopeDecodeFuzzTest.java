package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing of the frame decoder and envelope validator (docs/reliability.md,
 * "Fuzzing"). Invariant: any bytes decode to a {@link Inbound} without throwing; a refusal carries
 * a code and a sentence; an accepted envelope encodes back to JSON the decoder accepts again; one
 * input takes bounded time. Runs the committed corpus ({@code EnvelopeDecodeFuzzTestInputs/}) in
 * regression mode, and fuzzes with {@code JAZZER_FUZZ=1}.
 */
class EnvelopeDecodeFuzzTest {
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));

    /** Warm-up outside the timed part: the first frame pays for class loading, seconds on a busy machine. */
    EnvelopeDecodeFuzzTest() {
        run("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}".getBytes(StandardCharsets.UTF_8));
        run("{".getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "30s")
    void decodeFrame(byte[] frame) {
        long start = CPU.getCurrentThreadCpuTime();
        run(frame);
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one frame").isLessThan(MAX_NANOS_PER_INPUT);
    }

    private void run(byte[] frame) {
        Inbound fromBytes = codec.decode(frame);
        check(fromBytes);
        // The string path (used for frames Netty hands over as text) agrees on acceptance.
        Inbound fromString = codec.decode(new String(frame, StandardCharsets.UTF_8));
        check(fromString);
    }

    private void check(Inbound inbound) {
        assertThat(inbound).isNotNull();
        switch (inbound) {
            case Inbound.Invalid invalid -> {
                assertThat(invalid.code()).isNotNull();
                assertThat(invalid.error()).isNotBlank();
            }
            case Inbound.Message message -> {
                byte[] encoded = codec.encodeToBytes(message.envelope());
                assertThat(codec.decode(encoded)).as("re-decoding %s", new String(encoded, StandardCharsets.UTF_8))
                        .isNotInstanceOf(Inbound.Invalid.class);
            }
            case Inbound.Identify identify -> assertThat(identify.identification()).isNotNull();
        }
    }
}
