package io.arqonbus.server.internal.cron;

/**
 * Who may fire a durable cron job now. On a single node every run is this node's
 * ({@link #ALWAYS}); in a cluster a lease in Redis names the one node that fires a job, so it
 * fires once per schedule in the whole cluster ({@link RedisCronLease}, docs/cluster.md).
 */
@FunctionalInterface
public interface CronLease {
    /** Every run fires here: a single node. */
    CronLease ALWAYS = jobId -> true;

    /**
     * Takes or renews this node's lease on a job, just before one of its runs; called on the
     * cron thread, never on an event loop (it may block up to the store's command timeout).
     *
     * @return whether this node holds the lease and so fires this run
     */
    boolean claim(String jobId);

    /** The job finished or was cancelled here: its lease, if this node holds it, is given up. Never blocks. */
    default void release(String jobId) {
    }
}
