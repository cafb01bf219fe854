package io.arqonbus.server.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the subscription filter parser and matcher (docs/reliability.md,
 * "Fuzzing"): any JSON either parses to a filter or is refused with {@link InvalidFilterException}
 * and a sentence; a parsed filter matches any decoded publication without throwing, in bounded time.
 * An input is the filter's JSON, a zero byte, then a publication frame (so seeds are readable).
 */
class SubscriptionFilterFuzzTest {
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());

    @FuzzTest(maxDuration = "30s")
    void parseAndMatch(byte[] input) {
        long start = CPU.getCurrentThreadCpuTime();
        run(input);
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one input").isLessThan(MAX_NANOS_PER_INPUT);
    }

    /** Warm-up outside the timed part: the first input pays for class loading, seconds on a busy machine. */
    SubscriptionFilterFuzzTest() {
        run("{\"channel\":\"c*\"}\0{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void run(byte[] input) {
        int split = indexOfZero(input);
        String filterJson = new String(input, 0, split, StandardCharsets.UTF_8);
        byte[] frame = split < input.length ? Arrays.copyOfRange(input, split + 1, input.length) : new byte[0];
        JsonNode node;
        try {
            node = codec.mapper().readTree(filterJson);
        } catch (JacksonException e) {
            return; // not JSON: the envelope decoder refuses it before any filter is read
        }
        SubscriptionFilter filter;
        try {
            filter = SubscriptionFilter.parse(node);
        } catch (InvalidFilterException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(filter).isNotNull();
        if (codec.decode(frame) instanceof Inbound.Message message) {
            filter.matches(message.envelope());
        }
    }

    static int indexOfZero(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == 0) {
                return i;
            }
        }
        return input.length;
    }
}
