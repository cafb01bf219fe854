package io.arqonbus.server.internal.cron;

import java.io.IOException;
import java.util.List;

/**
 * Where durable cron jobs outlive the server: one {@link CronJobDocument},
 * replaced whole on every change. Called on the scheduler's own thread, never on an event loop.
 */
interface CronJobStore {
    /** The stored jobs; none when nothing was stored yet. */
    List<StoredCronJob> load() throws IOException;

    /** Replaces the stored jobs with these. */
    void save(List<StoredCronJob> jobs) throws IOException;

    /** Where the jobs are kept, for log lines. */
    String where();
}
