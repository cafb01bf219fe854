package io.arqonbus.server.internal.cron;

import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One scheduled job. Its mutable state (owner, runs, next run, pending future) is guarded by the
 * {@link CronScheduler}'s monitor.
 */
final class CronJob {
    final String id;
    final CronJobSpec spec;
    String ownerClientId;
    final Instant createdAt;
    /** The owning connection while it is open; {@code null} for a durable job whose owner left. */
    Session owner;
    int runs;
    Instant nextRunAt;
    /** When the next run is due, on the {@link System#nanoTime()} scale (interval jobs). */
    long nextDueNanos;
    ScheduledFuture<?> future;
    boolean finished;

    CronJob(String id, CronJobSpec spec, Session owner, String ownerClientId, Instant createdAt) {
        this.id = id;
        this.spec = spec;
        this.owner = owner;
        this.ownerClientId = ownerClientId;
        this.createdAt = createdAt;
    }

    /** The current owner's client id (it changes when the owner identifies with another id). */
    String ownerId() {
        Session session = owner;
        return session != null ? session.clientId() : ownerClientId;
    }

    /** Whether the job has a run left. */
    boolean hasRunsLeft() {
        return runs < spec.repeatCount();
    }

    /** The job as it stands. Call holding the scheduler's monitor. */
    CronJobView view() {
        CronJobSpec copy = new CronJobSpec(spec.target(), spec.payload().deepCopy(), spec.delaySeconds(),
                spec.intervalSeconds(), spec.repeatCount(), spec.cron(), spec.durable());
        return new CronJobView(id, copy, createdAt, ownerId(), runs, finished ? null : nextRunAt);
    }
}
