package io.arqonbus.server.internal.cron;

import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.redis.RedisLink;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's leases on durable cron jobs in the cluster's Redis: {@code <prefix>cron-lease:<job>} →
 * the node id, set with {@code SET NX PX <lease time>}. Before each run a node takes the lease, or
 * renews it ({@code PEXPIRE}) when it already holds it; a node that finds another's lease skips
 * the run. The holder also renews the leases it holds every third of the lease time, so its lease
 * does not lapse between runs further apart than the lease time; a job finished or cancelled
 * here gives its lease up. A dead holder stops renewing: its lease expires within the lease time and the next
 * node whose run comes takes it over. While Redis is unreachable no node can claim, so runs are
 * skipped (logged): a run never fires twice.
 */
public final class RedisCronLease implements CronLease, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCronLease.class);
    /** Renews the caller's lease or takes a free one; 1 when the caller holds it afterwards. */
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0
            """;
    /** Renews the caller's lease; 0 when it is no longer the caller's. */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    /** Gives the caller's lease up. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisLink link;
    private final String nodeId;
    private final String leaseMillis;
    private final String prefix;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> renewal;
    private volatile StatefulRedisConnection<String, String> redis;

    /** Starts renewing (on the link's executor); {@link #close()} stops it. */
    public RedisCronLease(RedisLink link, String nodeId, Duration leaseTime) {
        this.link = link;
        this.nodeId = nodeId;
        this.leaseMillis = Long.toString(leaseTime.toMillis());
        this.prefix = link.config().keyPrefix();
        long period = Math.max(1, leaseTime.toMillis() / 3);
        renewal = link.executor().scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Renews every lease this node holds, without waiting; a lease found taken is dropped. */
    private void renew() {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || !conn.isOpen()) {
            return;
        }
        for (String jobId : held) {
            conn.async().<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {key(jobId)}, nodeId, leaseMillis)
                    .whenComplete((renewed, error) -> {
                        if (error == null && (renewed == null || renewed == 0L)) {
                            held.remove(jobId);
                        }
                    });
        }
    }

    @Override
    public void release(String jobId) {
        StatefulRedisConnection<String, String> conn = redis;
        if (held.remove(jobId) && conn != null && conn.isOpen()) {
            conn.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(jobId)}, nodeId);
        }
    }

    private String key(String jobId) {
        return prefix + "cron-lease:" + jobId;
    }

    @Override
    public boolean claim(String jobId) {
        long timeout = link.config().commandTimeout().toMillis();
        try {
            StatefulRedisConnection<String, String> conn = redis;
            if (conn == null) {
                conn = link.connection("arqonbus-cron-lease", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
                redis = conn;
            }
            Long won = conn.async().<Long>eval(CLAIM, ScriptOutputType.INTEGER,
                    new String[] {key(jobId)}, nodeId, leaseMillis)
                    .get(timeout, TimeUnit.MILLISECONDS);
            if (won != null && won == 1L) {
                held.add(jobId);
                return true;
            }
            held.remove(jobId);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("event=cron_lease_failed job={} node={} msg=\"{}; this run is skipped\"", jobId, nodeId,
                    Failures.unwrap(e).getMessage());
            return false;
        }
    }

    /** Stops renewing and closes the connection; the leases held expire by themselves (another node takes them over). */
    @Override
    public void close() {
        renewal.cancel(false);
        StatefulRedisConnection<String, String> conn = redis;
        if (conn != null) {
            conn.closeAsync();
        }
    }
}
