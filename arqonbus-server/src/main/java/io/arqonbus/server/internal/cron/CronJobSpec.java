package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;

/**
 * What {@code op.cron.schedule} asked for, already validated.
 *
 * @param target          the channel the deliveries go to
 * @param payload         the payload of every delivery
 * @param delaySeconds    seconds until the first delivery of a job without a cron expression
 * @param intervalSeconds seconds between deliveries, or {@code null} for a one-shot or cron job
 * @param repeatCount     how many deliveries in all
 * @param cron            the cron expression deciding the delivery times, or {@code null}
 * @param durable         whether the job outlives its owner's connection (and, with a file store, a restart)
 */
public record CronJobSpec(ChannelKey target, ObjectNode payload, double delaySeconds, Double intervalSeconds,
        int repeatCount, CronExpression cron, boolean durable) {
}
