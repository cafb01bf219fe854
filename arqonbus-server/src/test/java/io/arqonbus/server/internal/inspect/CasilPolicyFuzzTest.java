package io.arqonbus.server.internal.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the CASIL policy parser (environment and {@code op.casil.reload}) and
 * of the inspector under the policy it yields (docs/reliability.md, "Fuzzing"). Invariant: a policy
 * is built or refused with {@link CasilPolicyException} and its problems; classifying any decoded
 * publication under it throws nothing but the documented inspection timeout; one input takes
 * bounded time (the inspector's budget plus parsing). An input is three parts split by zero bytes:
 * {@code ARQONBUS_CASIL_*} variables as {@code NAME=value} lines, the arguments of an
 * {@code op.casil.reload} as JSON, and a publication frame (so seeds are readable).
 */
class CasilPolicyFuzzTest {
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final Duration BUDGET = Duration.ofMillis(50);

    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());

    @FuzzTest(maxDuration = "30s")
    void policyThenInspect(byte[] input) {
        long start = CPU.getCurrentThreadCpuTime();
        run(input);
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one input").isLessThan(MAX_NANOS_PER_INPUT);
    }

    /** Warm-up outside the timed part: the first input pays for class loading, seconds on a busy machine. */
    CasilPolicyFuzzTest() {
        run("ARQONBUS_CASIL_ENABLED=true\0{\"mode\":\"enforce\"}\0{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"password\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8));
    }

    private void run(byte[] input) {
        List<byte[]> parts = split(input, 3);
        CasilPolicy policy = fromEnvironment(new String(parts.get(0), StandardCharsets.UTF_8));
        policy = reload(policy, new String(parts.get(1), StandardCharsets.UTF_8));
        byte[] frame = parts.get(2);
        if (codec.decode(frame) instanceof Inbound.Message message) {
            inspect(policy, message.envelope());
        }
    }

    private static List<byte[]> split(byte[] input, int count) {
        List<byte[]> parts = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i < input.length && parts.size() < count - 1; i++) {
            if (input[i] == 0) {
                parts.add(Arrays.copyOfRange(input, from, i));
                from = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(input, Math.min(from, input.length), input.length));
        while (parts.size() < count) {
            parts.add(new byte[0]);
        }
        return parts;
    }

    private CasilPolicy fromEnvironment(String lines) {
        Map<String, String> env = new HashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            return CasilPolicyParser.fromEnvironment(env, CasilPolicy.defaults());
        } catch (CasilPolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return CasilPolicy.defaults();
        }
    }

    private CasilPolicy reload(CasilPolicy current, String json) {
        JsonNode changes;
        try {
            changes = codec.mapper().readTree(json);
        } catch (JacksonException e) {
            return current; // not JSON: refused by the envelope decoder first
        }
        if (!(changes instanceof ObjectNode object)) {
            return current; // op.casil.reload's args are always an object
        }
        try {
            return CasilPolicyParser.merge(current, object);
        } catch (CasilPolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return current;
        }
    }

    private void inspect(CasilPolicy policy, Envelope envelope) {
        CasilPolicy enabled;
        try {
            enabled = policy.toBuilder().enabled(true).build();
        } catch (CasilPolicyException e) {
            throw new AssertionError("a valid policy stopped being valid when enabled", e);
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        try {
            assertThat(CasilInspector.classify(envelope.payload(), enabled, deadline)).isNotNull();
        } catch (DeadlineCharSequence.InspectionTimeoutException e) {
            // the documented outcome of a payload too costly to inspect
        }
        ChannelKey address = envelope.room() == null || envelope.channel() == null
                ? null : ChannelKey.of(envelope.room(), envelope.channel());
        Inspection inspection = new CasilInspector(new CasilPolicyHolder(enabled), BUDGET).inspect(envelope, address);
        assertThat(inspection).isNotNull();
        if (inspection.blocked()) {
            assertThat(inspection.blockCode()).isNotNull();
            assertThat(inspection.sentence()).isNotBlank();
        }
    }
}
