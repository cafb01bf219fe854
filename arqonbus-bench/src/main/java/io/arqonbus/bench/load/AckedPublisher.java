package io.arqonbus.bench.load;

import static io.arqonbus.bench.scan.ByteScan.NO_NUMBER;
import static io.arqonbus.bench.scan.ByteScan.indexOf;
import static io.arqonbus.bench.scan.ByteScan.marker;
import static io.arqonbus.bench.scan.ByteScan.readLong;
import static io.arqonbus.bench.scan.ByteScan.regionEquals;
import static io.arqonbus.bench.scan.ByteScan.valueIndex;

import io.arqonbus.bench.ledger.AckLedger;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Drives one publisher connection whose messages ask for durable acks ({@code "ack":"durable"},
 * protocol §12), from the connection's event loop: at most {@code window} messages without an
 * answer, an answer being the {@code ack} or the error frame that names the message's id as its
 * {@code request_id}. Each ack counts as one delivery from this publisher on the loop's
 * {@link LoopStats} with its publish→ack latency; every answer goes into the {@link AckLedger}.
 * Frames are scanned, not parsed; the legacy {@code message_response} and anything else is skipped.
 * Everything but the volatile counters is confined to the event loop.
 */
public final class AckedPublisher implements Runnable, ReplyHandler, PublishDriver {
    private static final byte[] TYPE = marker("\"type\":\"");
    private static final byte[] ACK = marker("ack\"");
    private static final byte[] ERROR = marker("error\"");
    private static final byte[] OFFSET = marker("\"offset\":");
    private static final byte[] DUPLICATE = marker("\"duplicate\":true");
    private static final byte[] STORAGE_UNAVAILABLE = marker("\"error_code\":\"STORAGE_UNAVAILABLE\"");
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int index;
    private final BenchConnection connection;
    private final PublishTemplate template;
    private final int window;
    private final double ratePerSecond;
    private final byte[] requestId;
    private final long[] inFlightSeq;
    private final long[] sentAt;
    private final int mask;
    private final AckLedger ledger = new AckLedger();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile long sent;
    private volatile long answered;
    private volatile long storageErrors;
    private volatile long otherErrors;
    private volatile long strayAnswers;
    private volatile boolean stopped;
    private long startNanos;
    private long endNanos;

    /**
     * @param template a {@linkplain PublishTemplate#durable durable} template whose ids are {@code idPrefix + seq}
     * @param window   messages without an answer at most
     */
    public AckedPublisher(int index, BenchConnection connection, PublishTemplate template, String idPrefix,
            int window) {
        this(index, connection, template, idPrefix, window, 0);
    }

    /**
     * A publisher that also keeps to {@code ratePerSecond} messages per second (0 = as fast as the
     * window allows); between messages it sleeps until the next one is due.
     */
    public AckedPublisher(int index, BenchConnection connection, PublishTemplate template, String idPrefix,
            int window, double ratePerSecond) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        this.ratePerSecond = ratePerSecond;
        if (window < 1 || window > 1 << 20) {
            throw new IllegalArgumentException("window must be 1..1048576");
        }
        this.index = index;
        this.connection = connection;
        this.template = template;
        this.window = window;
        this.requestId = marker("\"request_id\":\"" + idPrefix);
        int slots = Integer.highestOneBit(window - 1 | 1) << 1;
        this.inFlightSeq = new long[slots];
        this.sentAt = new long[slots];
        this.mask = slots - 1;
        connection.replies(this);
    }

    @Override
    public int index() {
        return index;
    }

    /** Messages written so far. */
    @Override
    public long sent() {
        return sent;
    }

    /** Messages answered so far (acked or refused). */
    public long answered() {
        return answered;
    }

    /** Error frames with {@code STORAGE_UNAVAILABLE} for this publisher's messages. */
    public long storageErrors() {
        return storageErrors;
    }

    /** Other error frames naming one of this publisher's messages. */
    public long otherErrors() {
        return otherErrors;
    }

    /** Answers for messages that were not waiting for one (answered twice, or never sent). */
    public long strayAnswers() {
        return strayAnswers;
    }

    /** The acks so far; read it only on the connection's event loop (see {@link #onLoop}). */
    public AckLedger ledger() {
        return ledger;
    }

    /** Runs {@code task} on this publisher's event loop (where the ledger may be read). */
    public <T> CompletableFuture<T> onLoop(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            connection.channel().eventLoop().execute(() -> result.complete(task.get()));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Completes with the number of messages sent once publishing ended (answers may still come). */
    @Override
    public CompletableFuture<Long> done() {
        return done;
    }

    /** Publishes until {@code endNanos} ({@link System#nanoTime()}). */
    public void start(long endNanos) {
        this.startNanos = System.nanoTime();
        this.endNanos = endNanos;
        submit(0);
    }

    /** Stops early (from any thread). */
    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Channel channel = connection.channel();
        if (stopped || System.nanoTime() >= endNanos || !channel.isActive()) {
            done.complete(sent);
            return;
        }
        long count = sent;
        long budget = Math.min(window - (count - answered), Publisher.BATCH);
        long now = System.nanoTime();
        if (ratePerSecond > 0) {
            budget = Math.min(budget, (long) ((now - startNanos) * ratePerSecond / 1e9) + 1 - count);
        }
        int wrote = 0;
        while (wrote < budget && channel.isWritable()) {
            count++;
            int slot = (int) (count & mask);
            inFlightSeq[slot] = count;
            sentAt[slot] = System.nanoTime();
            channel.write(new TextWebSocketFrame(template.frame(channel.alloc(), count)), channel.voidPromise());
            wrote++;
        }
        if (wrote > 0) {
            sent = count;
            channel.flush();
        }
        submit(wrote == Publisher.BATCH ? 0 : nextDelay(count, now));
    }

    private long nextDelay(long count, long now) {
        if (ratePerSecond > 0 && count - answered < window) {
            long nextDue = startNanos + (long) (count * 1e9 / ratePerSecond);
            return Math.max(POLL_NANOS, nextDue - now);
        }
        return POLL_NANOS;
    }

    @Override
    public void reply(ByteBuf content) {
        long receivedAt = System.nanoTime();
        int typeAt = valueIndex(content, TYPE, content.readerIndex());
        if (typeAt < 0) {
            return;
        }
        boolean ack = startsWith(content, typeAt, ACK);
        if (!ack && !startsWith(content, typeAt, ERROR)) {
            return;
        }
        int idAt = valueIndex(content, requestId, typeAt);
        long seq = idAt < 0 ? NO_NUMBER : readLong(content, idAt);
        if (idAt < 0 && !ack) {
            otherErrors++;
            return;
        }
        if (seq < 1 || seq > sent) {
            strayAnswers++;
            return;
        }
        int slot = (int) (seq & mask);
        boolean waiting = inFlightSeq[slot] == seq;
        if (waiting) {
            inFlightSeq[slot] = 0;
            answered++;
        } else {
            strayAnswers++;
            connection.stats().duplicate();
        }
        if (ack) {
            int offsetAt = valueIndex(content, OFFSET, typeAt);
            long offset = offsetAt < 0 ? NO_NUMBER : readLong(content, offsetAt);
            if (offset < 1) {
                connection.stats().countUnexpected();
                return;
            }
            ledger.acked(seq, offset, indexOf(content, DUPLICATE, offsetAt) >= 0);
            if (waiting) {
                connection.stats().delivered(index, receivedAt - sentAt[slot]);
            }
        } else if (indexOf(content, STORAGE_UNAVAILABLE, typeAt) >= 0) {
            storageErrors++;
            ledger.refused(seq);
        } else {
            otherErrors++;
        }
    }

    private static boolean startsWith(ByteBuf content, int at, byte[] bytes) {
        return at + bytes.length <= content.writerIndex() && regionEquals(content, at, bytes.length, bytes);
    }

    private void submit(long delayNanos) {
        Channel channel = connection.channel();
        try {
            if (delayNanos <= 0) {
                channel.eventLoop().execute(this);
            } else {
                channel.eventLoop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException shuttingDown) {
            done.complete(sent);
        }
    }
}
