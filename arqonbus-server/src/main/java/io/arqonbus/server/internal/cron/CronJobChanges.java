package io.arqonbus.server.internal.cron;

/**
 * Told of every durable job scheduled, cancelled or finished on this node, after the change took
 * effect here: the seam through which a cluster shares its durable jobs with the other nodes.
 * Copies applied from other nodes ({@link CronScheduler#applyCopy}, {@link CronScheduler#removeCopy})
 * are not told. Called on the caller's thread: an implementation must not block.
 */
public interface CronJobChanges {
    /** Tells nothing (a single node). */
    CronJobChanges NONE = new CronJobChanges() {
        @Override
        public void scheduled(String jobId, String shared) {
        }

        @Override
        public void cancelled(String jobId) {
        }

        @Override
        public void finished(String jobId) {
        }
    };

    /**
     * Called before a durable job is scheduled or cancelled by a command (must not block): throws
     * {@link io.arqonbus.server.internal.history.StoreUnavailableException} when the change could
     * not be shared now (a cluster whose Redis is unreachable), so it is refused
     * ({@code STORAGE_UNAVAILABLE}). A single node accepts.
     */
    default void checkAvailable() {
    }

    /**
     * A durable job was scheduled.
     *
     * @param shared the job as another node takes it in {@link CronScheduler#applyCopy} (JSON)
     */
    void scheduled(String jobId, String shared);

    /** A durable job was cancelled: every node drops it. */
    void cancelled(String jobId);

    /** A durable job made its last run here; every node finishes it by itself, so nothing is dropped. */
    void finished(String jobId);
}
