package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.config.OutOfMemoryPolicy;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Disconnector;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.internal.OutOfDirectMemoryError;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does when memory runs out (a direct buffer or the heap cannot be allocated),
 * so that it never stays up answering nothing. Netty reports such a failure on the connection
 * whose read, decoding or write needed the memory; the {@link ExceptionHandler} hands it here.
 *
 * <ul>
 *   <li>{@link OutOfMemoryPolicy#EXIT} (the default): one error line {@code event=out_of_memory
 *       code=OUT_OF_MEMORY policy=exit} and the process halts with status {@value #EXIT_STATUS} (as
 *       {@code -XX:+ExitOnOutOfMemoryError} does for the heap, which does not cover direct
 *       buffers). A supervisor restarts it. The halt is an injected hook: an embedding host or a
 *       test may pass its own; if the hook returns, the connection is shed as below.</li>
 *   <li>{@link OutOfMemoryPolicy#SHED}: what the connection holds of unfinished frames is freed at
 *       once, it is closed with 1013 ({@code server out of memory, try again later}), one warning
 *       is logged for it (however many of its frames fail after the first), and new handshakes on
 *       the bus and telemetry ports are refused while the direct memory in use is above the
 *       high-water mark.</li>
 * </ul>
 *
 * <p>Shared by every connection; thread-safe.
 */
public final class OutOfMemoryGuard {
    /** The process status of a halt for lack of memory: the JVM's own for {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int EXIT_STATUS = 3;
    /** The reason of the 1013 close frame a connection gets when it is shed. */
    public static final String SHED_REASON = "server out of memory, try again later";

    private static final Logger log = LoggerFactory.getLogger(OutOfMemoryGuard.class);
    private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf("arqonbus.outOfMemoryLogged");

    private final OutOfMemoryPolicy policy;
    private final long highWater;
    private final LongSupplier directMemoryInUse;
    private final IntConsumer halt;
    private final Disconnector disconnector;
    private final BusMetrics metrics;
    private final AtomicBoolean halting = new AtomicBoolean();

    /**
     * @param directMemoryInUse bytes of direct memory held by live buffers now
     * @param halt              ends the process with the status it is given ({@link Runtime#halt} in production)
     */
    public OutOfMemoryGuard(OutOfMemoryPolicy policy, long highWater, LongSupplier directMemoryInUse,
            IntConsumer halt, Disconnector disconnector, BusMetrics metrics) {
        this.policy = policy;
        this.highWater = highWater;
        this.directMemoryInUse = directMemoryInUse;
        this.halt = halt;
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    /**
     * The direct memory held by live buffers of the connections' allocator: for a pooled allocator
     * the bytes pinned by buffers, not what its pools keep for reuse (which would stay high after a
     * burst and refuse handshakes long after the connections that needed it are gone); for another
     * allocator the memory it reports. The history store's memory is not counted: it does not
     * come and go with connections.
     */
    public static long directMemoryInUse(ByteBufAllocator allocator) {
        if (allocator instanceof PooledByteBufAllocator pooled) {
            return pooled.pinnedDirectMemory();
        }
        if (allocator instanceof ByteBufAllocatorMetricProvider metered) {
            return Math.max(0, metered.metric().usedDirectMemory());
        }
        return 0;
    }

    /** The out-of-memory error in {@code failure} or among its causes, or {@code null}. */
    public static OutOfMemoryError find(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** Which memory ran out: {@code direct} (a direct buffer) or {@code heap}. */
    static String kind(OutOfMemoryError error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return error instanceof OutOfDirectMemoryError || message.contains("direct buffer memory")
                || message.contains("direct memory") ? "direct" : "heap";
    }

    /** A read, decode or write of {@code channel} could not get memory. */
    public void outOfMemory(Channel channel, OutOfMemoryError error) {
        String memory = kind(error);
        if (policy == OutOfMemoryPolicy.EXIT) {
            if (halting.compareAndSet(false, true)) {
                log.atError()
                        .addKeyValue("event", "out_of_memory")
                        .addKeyValue("code", "OUT_OF_MEMORY")
                        .addKeyValue("policy", "exit")
                        .addKeyValue("memory", memory)
                        .addKeyValue("remote", channel.remoteAddress())
                        .addKeyValue("error", error.getMessage())
                        .addKeyValue("msg", "The server ran out of " + memory + " memory; it halts with status "
                                + EXIT_STATUS + " so that its supervisor starts a fresh one "
                                + "(ARQONBUS_ON_OUT_OF_MEMORY=exit)")
                        .log("out_of_memory");
                halt.accept(EXIT_STATUS);
            }
        } else if (channel.attr(LOGGED).setIfAbsent(Boolean.TRUE) == null) {
            metrics.limitClose("out_of_memory");
            log.atWarn()
                    .addKeyValue("event", "out_of_memory")
                    .addKeyValue("code", "OUT_OF_MEMORY")
                    .addKeyValue("policy", "shed")
                    .addKeyValue("memory", memory)
                    .addKeyValue("remote", channel.remoteAddress())
                    .addKeyValue("error", error.getMessage())
                    .addKeyValue("msg", "The server ran out of " + memory
                            + " memory; this connection is closed with 1013 and new "
                            + "handshakes are refused while direct memory in use is above " + highWater
                            + " bytes (further failures of this connection are not logged)")
                    .log("out_of_memory");
        }
        shed(channel);
    }

    /** Frees what the connection holds of unfinished frames and closes it with 1013. */
    private void shed(Channel channel) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> shed(channel));
            return;
        }
        if (channel.pipeline().get(HandlerNames.WS_DECODER) instanceof InboundFrameDecoder) {
            channel.pipeline().replace(HandlerNames.WS_DECODER, HandlerNames.WS_DECODER,
                    InboundFrameDecoder.Discard.INSTANCE);
        }
        disconnector.closeNow(channel, CloseCodes.TRY_AGAIN_LATER, SHED_REASON);
    }

    /**
     * Whether new handshakes are refused now: with the shed policy, while the direct memory in use
     * is above the high-water mark.
     */
    public boolean refusingHandshakes() {
        return policy == OutOfMemoryPolicy.SHED && directMemoryInUse.getAsLong() > highWater;
    }

    /** The high-water mark of direct memory in use, in bytes. */
    public long highWater() {
        return highWater;
    }
}
