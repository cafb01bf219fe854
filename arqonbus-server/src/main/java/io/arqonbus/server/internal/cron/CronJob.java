package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
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

    /** The reply of {@code op.cron.schedule}. */
    ObjectNode scheduled() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("job_id", id);
        out.put("room", spec.target().room());
        out.put("channel", spec.target().channel());
        out.put("delay_seconds", spec.delaySeconds());
        if (spec.intervalSeconds() != null) {
            out.put("interval_seconds", spec.intervalSeconds());
        } else {
            out.putNull("interval_seconds");
        }
        out.put("repeat_count", spec.repeatCount());
        out.put("created_at", Timestamps.format(createdAt));
        if (spec.cron() != null) {
            out.put("cron", spec.cron().text());
            putNextRun(out);
        }
        if (spec.durable()) {
            out.put("durable", true);
        }
        return out;
    }

    /** An entry of {@code op.cron.list}. */
    ObjectNode listed() {
        ObjectNode out = scheduled();
        out.set("payload", spec.payload().deepCopy());
        out.put("owner_client_id", ownerId());
        out.put("runs", runs);
        putNextRun(out);
        out.put("durable", spec.durable());
        if (spec.cron() == null) {
            out.putNull("cron");
        }
        return out;
    }

    private void putNextRun(ObjectNode out) {
        if (nextRunAt != null && !finished) {
            out.put("next_run_at", Timestamps.format(nextRunAt));
        } else {
            out.putNull("next_run_at");
        }
    }
}
