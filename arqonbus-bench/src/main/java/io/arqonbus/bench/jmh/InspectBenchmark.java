package io.arqonbus.bench.jmh;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.server.internal.inspect.CasilInspector;
import io.arqonbus.server.casil.CasilMode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.inspect.Inspection;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.internal.session.Disconnector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CASIL's cost per publication on the sender's loop (what {@code InboundRouter} pays before
 * routing): {@code InspectionGate.check} of a decoded publish with the 128-byte payload of
 * {@link CodecBenchmark}, with CASIL off, in monitor mode, and in enforce mode with redaction;
 * and of a payload carrying an AWS key id and a password that enforce mode redacts.
 *
 * <pre>java -cp arqonbus-cli/target/arqon.jar org.openjdk.jmh.Main InspectBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class InspectBenchmark {
    static final String SECRET_PUBLISH = "{\"type\":\"message\",\"room\":\"bench\",\"channel\":\"c0\","
            + "\"payload\":{\"bseq\":123456,\"note\":\"key AKIA" + "IOSFODNN7EXAMPLE here\",\"password\":\"hunter2\"}}";

    /** {@code off}: CASIL disabled; {@code monitor}; {@code enforce}: enforce with transport redaction. */
    @Param({"off", "monitor", "enforce"})
    public String casil;

    private InspectionGate gate;
    private Envelope typical;
    private Envelope secret;

    @Setup
    public void setUp() throws CasilPolicyException {
        EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());
        typical = decode(codec, CodecBenchmark.PUBLISH);
        secret = decode(codec, SECRET_PUBLISH);
        CasilPolicy.Builder policy = CasilPolicy.builder().enabled(!casil.equals("off"));
        if (casil.equals("enforce")) {
            policy.mode(CasilMode.ENFORCE).transportRedaction(true)
                    .redactionPatterns(List.of("builtin:aws_access_key"));
        }
        CasilPolicyHolder holder = new CasilPolicyHolder(policy.build());
        TelemetryHub telemetry = new TelemetryHub(codec, Clock.systemUTC(), 1 << 20,
                new Disconnector(Duration.ofSeconds(1)));
        gate = new InspectionGate(holder, new CasilInspector(holder), telemetry, new SimpleMeterRegistry());
        if (gate.check("arq_client_bench", typical).blocked()) {
            throw new IllegalStateException("the typical payload must pass");
        }
    }

    private static Envelope decode(EnvelopeCodec codec, String frame) {
        Inbound decoded = codec.decode(frame.getBytes(StandardCharsets.UTF_8));
        if (!(decoded instanceof Inbound.Message message)) {
            throw new IllegalStateException("the sample frame does not decode: " + decoded);
        }
        return message.envelope();
    }

    /** A typical 128-byte payload with nothing to find. */
    @Benchmark
    public Inspection inspectTypical() {
        return gate.check("arq_client_bench", typical);
    }

    /** A payload with an AWS key id and a password (flagged; redacted in enforce mode). */
    @Benchmark
    public Inspection inspectSecret() {
        return gate.check("arq_client_bench", secret);
    }
}
