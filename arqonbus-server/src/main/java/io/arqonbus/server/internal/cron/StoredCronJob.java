package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Instant;

/**
 * One durable job in the {@link CronJobDocument}, version 1. Its fields keep the names of the
 * {@code op.cron.list} entries that earlier releases stored, so their files read as they are
 * (fields that are not listed here, such as {@code durable}, are ignored).
 *
 * @param jobId           the job's id, {@code cron_<12 hex>}
 * @param room            the target room
 * @param channel         the target channel
 * @param payload         the payload of every delivery
 * @param delaySeconds    seconds from the schedule to the first delivery (jobs without a cron expression)
 * @param intervalSeconds seconds between deliveries, or {@code null}
 * @param repeatCount     how many deliveries in all; {@code null} reads as 1
 * @param cron            the cron expression, or {@code null}
 * @param ownerClientId   the client id of the owner that scheduled it
 * @param createdAt       when it was scheduled, ISO-8601; {@code null} reads as the restore time
 * @param runs            deliveries made so far
 * @param nextRunAt       when the next delivery is due, ISO-8601, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"job_id", "room", "channel", "payload", "delay_seconds", "interval_seconds", "repeat_count",
        "cron", "owner_client_id", "created_at", "runs", "next_run_at"})
record StoredCronJob(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("room") String room,
        @JsonProperty("channel") String channel,
        @JsonProperty("payload") JsonNode payload,
        @JsonProperty("delay_seconds") double delaySeconds,
        @JsonProperty("interval_seconds") Double intervalSeconds,
        @JsonProperty("repeat_count") Integer repeatCount,
        @JsonProperty("cron") String cron,
        @JsonProperty("owner_client_id") String ownerClientId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("runs") int runs,
        @JsonProperty("next_run_at") String nextRunAt) {

    /** The job as the document keeps it. Call holding the scheduler's monitor. */
    static StoredCronJob of(CronJob job) {
        CronJobSpec spec = job.spec;
        return new StoredCronJob(job.id, spec.target().room(), spec.target().channel(), spec.payload().deepCopy(),
                spec.delaySeconds(), spec.intervalSeconds(), spec.repeatCount(),
                spec.cron() == null ? null : spec.cron().text(), job.ownerId(), Timestamps.format(job.createdAt),
                job.runs, job.nextRunAt == null || job.finished ? null : Timestamps.format(job.nextRunAt));
    }

    /**
     * The durable job this entry describes, checked as {@code op.cron.schedule} checks a new one,
     * without an owner connection.
     *
     * @param maxRepeatCount the most deliveries a job may have now
     * @param now            the creation time of an entry that has none
     * @throws IllegalArgumentException when the entry describes no valid job
     * @throws InvalidCronException     when its cron expression does not parse
     */
    CronJob toJob(int maxRepeatCount, Instant now) throws InvalidCronException {
        if (jobId == null || !jobId.startsWith("cron_")) {
            throw new IllegalArgumentException("bad job id '" + jobId + "'");
        }
        CronExpression expression = cron == null ? null : CronExpression.parse(cron);
        CronJobSpec spec = new CronJobSpec(ChannelKey.of(orEmpty(room), orEmpty(channel)),
                payload instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode(),
                delaySeconds, intervalSeconds, Math.min(repeatCount == null ? 1 : repeatCount, maxRepeatCount),
                expression, true);
        if (expression == null && spec.repeatCount() > 1 && intervalSeconds == null) {
            throw new IllegalArgumentException("repeat_count > 1 without interval_seconds");
        }
        CronJob job = new CronJob(jobId, spec, null, ownerClientId, createdAt == null ? now : Instant.parse(createdAt));
        job.runs = runs;
        return job;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
