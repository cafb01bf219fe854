package io.arqonbus.bench.load;

import io.arqonbus.bench.ledger.AckLedger;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * One JetStream publisher: its own {@code io.nats:jnats} connection and one thread that calls
 * {@link JetStream#publishAsync(String, byte[])} while fewer than {@code window} publications wait
 * for their PubAck (a PubAck means the server stored the message in the stream). The payload is the
 * bench's usual {@code {"bp":…,"bseq":…,"bt":…,"pad":"…"}}. Each PubAck is recorded with its
 * publish→ack latency and, in the {@link AckLedger}, at its stream sequence; a failed publish
 * (an API error or a timeout) is recorded as refused.
 *
 * <p>Threads: jnats completes the futures on its own threads (per connection); the ledger is
 * guarded by its own monitor, the counters are atomic. A handful of publishers cost a handful of
 * threads, which is why jnats serves the durable workload (few connections) and not fan-out
 * (a thousand).
 */
public final class JetStreamPublisher implements PublishDriver {
    private static final long POLL_MILLIS = 1;

    private final int index;
    private final Connection connection;
    private final JetStream jetStream;
    private final String subject;
    private final Semaphore window;
    private final Recorder latency;
    private final byte[] head;
    private final byte[] tail;
    private final AckLedger ledger = new AckLedger();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile long sent;
    private volatile boolean stopped;
    private volatile String firstFailure;

    /**
     * @param latency where publish→ack latencies (nanoseconds) go (shared by the run's publishers)
     */
    public JetStreamPublisher(int index, Connection connection, String subject, int window, int payloadBytes,
            Recorder latency) throws IOException {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        this.index = index;
        this.connection = connection;
        this.jetStream = connection.jetStream();
        this.subject = subject;
        this.window = new Semaphore(window);
        this.latency = latency;
        this.head = ("{\"bp\":" + index + ",\"bseq\":").getBytes(StandardCharsets.US_ASCII);
        int fixed = ("{\"bp\":" + index + ",\"bseq\":1000000,\"bt\":" + System.nanoTime() + ",\"pad\":\"\"}").length();
        char[] pad = new char[Math.max(0, payloadBytes - fixed)];
        Arrays.fill(pad, 'x');
        this.tail = (",\"pad\":\"" + new String(pad) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public long sent() {
        return sent;
    }

    /** PubAcks received so far. */
    public long acked() {
        return acked.get();
    }

    /** Publications answered so far (acked or failed). */
    public long answered() {
        return answered.get();
    }

    /** Publications that failed (an error from the server, a timeout, a closed connection). */
    public long failures() {
        return failures.get();
    }

    /** The first failure's text, or {@code null}. */
    public String firstFailure() {
        return firstFailure;
    }

    /** A copy of the acks so far. */
    public AckLedger ledger() {
        synchronized (ledger) {
            return ledger.copy();
        }
    }

    @Override
    public CompletableFuture<Long> done() {
        return done;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** Starts its thread, publishing until {@code endNanos} ({@link System#nanoTime()}). */
    public void start(long endNanos) {
        Thread thread = new Thread(() -> publish(endNanos), "bench-jetstream-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    private void publish(long endNanos) {
        try {
            long seq = 0;
            while (!stopped && System.nanoTime() < endNanos && connection.getStatus() == Connection.Status.CONNECTED) {
                if (!window.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                seq++;
                long sentAt = System.nanoTime();
                long mine = seq;
                CompletableFuture<PublishAck> future;
                try {
                    future = jetStream.publishAsync(subject, payload(seq, sentAt));
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    firstFailure = firstFailure == null ? String.valueOf(e) : firstFailure;
                    break;
                }
                sent = seq;
                future.whenComplete((ack, error) -> answer(mine, sentAt, ack, error));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.complete(sent);
        }
    }

    private byte[] payload(long seq, long now) {
        String numbers = seq + ",\"bt\":" + now;
        byte[] bytes = new byte[head.length + numbers.length() + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = 0; i < numbers.length(); i++) {
            bytes[head.length + i] = (byte) numbers.charAt(i);
        }
        System.arraycopy(tail, 0, bytes, head.length + numbers.length(), tail.length);
        return bytes;
    }

    private void answer(long seq, long sentAt, PublishAck ack, Throwable error) {
        long now = System.nanoTime();
        try {
            if (error != null) {
                failed(seq, error);
                return;
            }
            synchronized (ledger) {
                ledger.acked(seq, ack.getSeqno(), ack.isDuplicate());
            }
            latency.recordValue(Math.min(LoopStats.HIGHEST_NANOS, Math.max(0, now - sentAt)));
            acked.incrementAndGet();
        } finally {
            answered.incrementAndGet();
            window.release();
        }
    }

    private void failed(long seq, Throwable error) {
        failures.incrementAndGet();
        if (firstFailure == null) {
            firstFailure = String.valueOf(error);
        }
        synchronized (ledger) {
            ledger.refused(seq);
        }
    }
}
