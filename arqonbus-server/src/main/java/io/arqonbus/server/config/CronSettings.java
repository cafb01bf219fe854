package io.arqonbus.server.config;

import java.time.Duration;

/**
 * The bounds of the cron lane ({@code op.cron.*}), from the {@code ARQONBUS_CRON_*} variables.
 *
 * @param maxJobsPerClient jobs one connection may own at once ({@code ARQONBUS_CRON_MAX_JOBS_PER_CLIENT})
 * @param maxJobs          jobs the server holds at once, of every owner ({@code ARQONBUS_CRON_MAX_JOBS})
 * @param minInterval      the shortest {@code interval_seconds} accepted ({@code ARQONBUS_CRON_MIN_INTERVAL_SECONDS})
 * @param maxRepeatCount   the largest {@code repeat_count} accepted, and the default of a job with a
 *                         cron expression ({@code ARQONBUS_CRON_MAX_REPEAT_COUNT})
 * @param leaseTime        in cluster mode, how long a node's lease on a durable job lasts without
 *                         renewal: the longest a job pauses when its holder dies
 *                         ({@code ARQONBUS_CRON_LEASE_SECONDS})
 */
public record CronSettings(int maxJobsPerClient, int maxJobs, Duration minInterval, int maxRepeatCount,
        Duration leaseTime) {
    /** Default jobs per connection: {@value}. */
    public static final int DEFAULT_MAX_JOBS_PER_CLIENT = 100;
    /** Default jobs in all: {@value}. */
    public static final int DEFAULT_MAX_JOBS = 10_000;
    /** Default shortest interval: 100 ms. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(100);
    /** Default largest repeat count: {@value}. */
    public static final int DEFAULT_MAX_REPEAT_COUNT = 100_000;
    /** Default lease time of a durable job in cluster mode: 15 s. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(15);

    /** @throws IllegalArgumentException naming the bound that is out of range */
    public CronSettings {
        if (maxJobsPerClient < 1) {
            throw new IllegalArgumentException("max cron jobs per client: " + maxJobsPerClient + " (expected: >= 1)");
        }
        if (maxJobs < 1) {
            throw new IllegalArgumentException("max cron jobs: " + maxJobs + " (expected: >= 1)");
        }
        if (minInterval == null || minInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("min cron interval: " + minInterval + " (expected: >= 0.01 seconds)");
        }
        if (maxRepeatCount < 1) {
            throw new IllegalArgumentException("max cron repeat count: " + maxRepeatCount + " (expected: >= 1)");
        }
        if (leaseTime == null || leaseTime.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("cron lease time: " + leaseTime + " (expected: >= 0.1 seconds)");
        }
    }

    /** The bounds with the default lease time. */
    public CronSettings(int maxJobsPerClient, int maxJobs, Duration minInterval, int maxRepeatCount) {
        this(maxJobsPerClient, maxJobs, minInterval, maxRepeatCount, DEFAULT_LEASE_TIME);
    }

    /** The defaults. */
    public static CronSettings defaults() {
        return new CronSettings(DEFAULT_MAX_JOBS_PER_CLIENT, DEFAULT_MAX_JOBS, DEFAULT_MIN_INTERVAL,
                DEFAULT_MAX_REPEAT_COUNT);
    }

    public CronSettings withMaxJobsPerClient(int value) {
        return new CronSettings(value, maxJobs, minInterval, maxRepeatCount, leaseTime);
    }

    public CronSettings withMaxJobs(int value) {
        return new CronSettings(maxJobsPerClient, value, minInterval, maxRepeatCount, leaseTime);
    }

    public CronSettings withMinInterval(Duration value) {
        return new CronSettings(maxJobsPerClient, maxJobs, value, maxRepeatCount, leaseTime);
    }

    public CronSettings withMaxRepeatCount(int value) {
        return new CronSettings(maxJobsPerClient, maxJobs, minInterval, value, leaseTime);
    }

    public CronSettings withLeaseTime(Duration value) {
        return new CronSettings(maxJobsPerClient, maxJobs, minInterval, maxRepeatCount, value);
    }
}
