package io.arqonbus.server.internal.webhook;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** One rule's delivery counters; written by the dispatcher, read by {@code op.webhook.list} and the meters. */
public final class WebhookStats {
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong pending = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong queued = new AtomicLong();
    private volatile Supplier<String> circuit = () -> "closed";
    private volatile int lastStatus;
    private volatile String lastError;

    /** Events delivered (a 2xx answer). */
    public long delivered() { return delivered.get(); }
    /** Events given up after the last attempt, or at once for an answer that is not retried. */
    public long failed() { return failed.get(); }
    /** Retries made (attempts after the first). */
    public long retried() { return retried.get(); }
    /** Events never queued because the delivery queue (the rule's or the server's) was full. */
    public long dropped() { return dropped.get(); }
    /** Events queued, under way or waiting for a retry now. */
    public long pending() { return pending.get(); }
    /** HTTP requests made (first attempts and retries; an attempt refused by the open circuit is not one). */
    public long attempts() { return attempts.get(); }
    /** Events waiting for their first attempt now (the rule's queue depth). */
    public long queued() { return queued.get(); }
    /** The rule's circuit: {@code closed}, {@code open} or {@code half_open}. */
    public String circuit() { return circuit.get(); }
    /** The HTTP status of the last answer, 0 when none came (not tried yet, or no answer). */
    public int lastStatus() { return lastStatus; }
    /** Why the last attempt failed, or {@code null} when it succeeded or none was made. */
    public String lastError() { return lastError; }

    void answered(int status, String error) {
        lastStatus = status;
        lastError = error;
    }

    void circuitFrom(Supplier<String> state) {
        circuit = state;
    }
}
