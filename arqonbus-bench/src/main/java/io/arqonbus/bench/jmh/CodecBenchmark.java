package io.arqonbus.bench.jmh;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec's cost per message: decoding and validating a client publish frame, encoding a
 * stamped envelope into a complete WebSocket frame (what the hub does once per publication), and
 * that frame followed by the legacy {@code message_response} that echoes its payload (what a
 * publication costs with legacy acks on).
 *
 * <pre>java -cp arqonbus-cli/target/arqon.jar org.openjdk.jmh.Main CodecBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CodecBenchmark {
    /** A publish as the load tool sends it: 128-byte payload. */
    static final String PUBLISH = "{\"type\":\"message\",\"room\":\"bench\",\"channel\":\"c0\","
            + "\"payload\":{\"bseq\":123456,\"bt\":987654321012,\"bp\":0,\"pad\":\""
            + "x".repeat(80) + "\"}}";

    private EnvelopeCodec codec;
    private FrameEncoder encoder;
    private byte[] publishBytes;
    private Envelope stamped;
    private Envelope ack;

    @Setup
    public void setUp() {
        IdGenerator ids = new IdGenerator();
        codec = new EnvelopeCodec(ids, Clock.systemUTC());
        encoder = new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT);
        publishBytes = PUBLISH.getBytes(StandardCharsets.UTF_8);
        Inbound decoded = codec.decode(publishBytes);
        if (!(decoded instanceof Inbound.Message message)) {
            throw new IllegalStateException("the sample frame does not decode: " + decoded);
        }
        stamped = message.envelope().toBuilder()
                .sender("arq_client_0123456789abcdef0123456789abcdef")
                .position(new StreamPosition(123_456, "a1b2c3d4"))
                .build();
        ack = new Replies(ids, Clock.systemUTC()).messageResponse(stamped);
    }

    /** Text frame bytes to a validated envelope record. */
    @Benchmark
    public Inbound decodeAndValidate() {
        return codec.decode(publishBytes);
    }

    /** Envelope to a whole WebSocket frame in a pooled direct buffer (released after). */
    @Benchmark
    public int encodeFrame() {
        ByteBuf frame = encoder.encode(stamped);
        int size = frame.readableBytes();
        frame.release();
        return size;
    }

    /** The publication's frame and then its legacy ack's frame (both released after). */
    @Benchmark
    public int encodeFrameAndAck() {
        ByteBuf frame = encoder.encode(stamped);
        ByteBuf ackFrame = encoder.encode(ack);
        int size = frame.readableBytes() + ackFrame.readableBytes();
        frame.release();
        ackFrame.release();
        return size;
    }
}
