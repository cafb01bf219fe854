package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

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
}
