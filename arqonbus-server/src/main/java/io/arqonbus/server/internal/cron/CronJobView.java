package io.arqonbus.server.internal.cron;

import java.time.Instant;

/**
 * A cron job as the scheduler shows it at one moment.
 *
 * @param jobId         its id, {@code cron_<12 hex>}
 * @param spec          what was scheduled (its payload a copy)
 * @param createdAt     when it was scheduled
 * @param ownerClientId the client id of its owner (the last one, for a durable job whose owner left)
 * @param runs          deliveries made so far
 * @param nextRunAt     when the next delivery is due, or {@code null} when none is planned
 */
public record CronJobView(String jobId, CronJobSpec spec, Instant createdAt, String ownerClientId, int runs,
        Instant nextRunAt) {
}
