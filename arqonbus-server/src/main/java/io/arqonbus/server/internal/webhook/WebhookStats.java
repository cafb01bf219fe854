package io.arqonbus.server.internal.webhook;

import java.util.concurrent.atomic.AtomicLong;

/** One rule's delivery counters; written by the dispatcher, read by {@code op.webhook.list} and the meters. */
public final class WebhookStats {
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong pending = new AtomicLong();
    private volatile int lastStatus;
    private volatile String lastError;

    /** Events delivered (a 2xx answer). */
    public long delivered() { return delivered.get(); }
    /** Events given up after the last attempt, or at once for an answer that is not retried. */
    public long failed() { return failed.get(); }
    /** Retries made (attempts after the first). */
    public long retried() { return retried.get(); }
    /** Events never queued because the delivery queue was full. */
    public long dropped() { return dropped.get(); }
    /** Events queued, under way or waiting for a retry now. */
    public long pending() { return pending.get(); }
    /** The HTTP status of the last answer, 0 when none came (not tried yet, or no answer). */
    public int lastStatus() { return lastStatus; }
    /** Why the last attempt failed, or {@code null} when it succeeded or none was made. */
    public String lastError() { return lastError; }

    void answered(int status, String error) {
        lastStatus = status;
        lastError = error;
    }
}
