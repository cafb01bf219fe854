package io.arqonbus.server.internal.cron;

import io.arqonbus.server.config.CronSettings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.kv.KeyValueStore;
import io.arqonbus.server.internal.session.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron lane: holds the jobs of {@code op.cron.*} and delivers them, on one scheduler thread
 * of its own (never on an event loop), as real publications through the {@link Hub} — stored in
 * history with an offset and delivered to the channel's members, sender {@code op-cron}.
 *
 * <p>Lifecycle: a job belongs to the connection that scheduled it and is cancelled when that
 * connection closes (protocol §4), unless it is durable (admins only): a durable job outlives its
 * owner, and with a file store it is written to {@code cron-jobs.json} in the store directory
 * (with Redis, to the server's reserved key-value namespace) and restored at the next start.
 * Every method is thread-safe; the job table is guarded by this object's monitor, which is held
 * only briefly (a publication is handed to the hub under it, so that no delivery of a job can
 * follow the reply to its cancel).
 *
 * <p>Over 400 lines: the job table, the three ways of planning a run and persistence share one monitor.
 */
public final class CronScheduler implements AutoCloseable {
    /** The sender of every delivery. */
    public static final String SENDER = "op-cron";
    /** The longest delay or interval accepted: one year, in seconds. */
    public static final double MAX_SECONDS = 366 * 24 * 3600.0;
    private static final Logger log = LoggerFactory.getLogger(CronScheduler.class);

    private final CronSettings settings;
    private final Hub hub;
    private final IdGenerator ids;
    private final Clock clock;
    private final CronJobStore file;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, CronJob> jobs = new LinkedHashMap<>();
    private final Map<Session, Set<CronJob>> byOwner = new HashMap<>();
    private final AtomicBoolean savePending = new AtomicBoolean();
    /** Set when the stored document is of a newer version: it is left as it is. */
    private volatile boolean keepStored;
    /** Who fires durable jobs: this node, or (in a cluster) the holder of the job's lease. */
    private volatile CronLease lease = CronLease.ALWAYS;
    /** Told of the durable jobs scheduled, cancelled and finished here (a cluster shares them). */
    private volatile CronJobChanges changes = CronJobChanges.NONE;
    /** The ids of the durable jobs applied from other nodes of a cluster. */
    private final Set<String> copies = new HashSet<>();
    private boolean closed;

    /**
     * @param stateDirectory where durable jobs are kept (the file store's directory), or {@code null}
     *                       to keep them in memory only
     */
    public CronScheduler(CronSettings settings, Hub hub, IdGenerator ids, Clock clock, Path stateDirectory) {
        this(settings, hub, ids, clock, stateDirectory == null ? null : new CronJobFile(stateDirectory));
    }

    /** Durable jobs kept in the key-value store (Redis, when Redis is the storage backend). */
    public CronScheduler(CronSettings settings, Hub hub, IdGenerator ids, Clock clock, KeyValueStore store) {
        this(settings, hub, ids, clock, new CronJobsInKeyValueStore(store));
    }

    private CronScheduler(CronSettings settings, Hub hub, IdGenerator ids, Clock clock, CronJobStore file) {
        this.settings = settings;
        this.hub = hub;
        this.ids = ids;
        this.clock = clock;
        this.file = file;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "arqonbus-cron");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The bounds in force. */
    public CronSettings settings() {
        return settings;
    }

    /** Whether durable jobs survive a restart (a file store or Redis is configured). */
    public boolean persistent() {
        return file != null;
    }

    /**
     * In a cluster: a durable job's runs fire only on the node holding its lease, so each fires
     * once per schedule in the whole cluster (the other nodes skip the run and plan the next one).
     * Call before {@link #restore()}.
     */
    public void useLease(CronLease value) {
        lease = java.util.Objects.requireNonNull(value, "lease");
    }

    /** Tells {@code value} of the durable jobs scheduled, cancelled and finished here. Set once, before traffic. */
    public void onChange(CronJobChanges value) {
        changes = java.util.Objects.requireNonNull(value, "changes");
    }

    /**
     * Applies a durable job another node of a cluster scheduled ({@code shared} as
     * {@link CronJobChanges#scheduled} gave it), planned from its next run as a restored job is;
     * a job this node holds is left as it is. Not told to the {@link #onChange} listener.
     *
     * @return whether the job was added
     */
    public boolean applyCopy(String shared) {
        StoredCronJob entry;
        try {
            entry = CronJobDocument.readJob(shared);
        } catch (IOException e) {
            log.atWarn().addKeyValue("event", "cron_copy_not_added").addKeyValue("msg", e.getMessage())
                    .log("cron_copy_not_added");
            return false;
        }
        synchronized (this) {
            if (closed || jobs.containsKey(entry.jobId())) {
                return false;
            }
            boolean added = restoreOne(entry);
            if (added) {
                copies.add(entry.jobId());
            }
            return added;
        }
    }

    /** Drops a durable job another node of a cluster cancelled; not told to the {@link #onChange} listener. */
    public boolean removeCopy(String jobId) {
        synchronized (this) {
            copies.remove(jobId);
            CronJob job = jobs.get(jobId);
            if (job == null || !job.spec.durable()) {
                return false;
            }
            stop(job);
        }
        persistSoon();
        return true;
    }

    /** The ids of the durable jobs applied from other nodes. */
    public synchronized Set<String> copyIds() {
        return Set.copyOf(copies);
    }

    /** Jobs held now. */
    public synchronized int size() {
        return jobs.size();
    }

    /** Restores the durable jobs written by an earlier run; call once before traffic starts. */
    public void restore() {
        if (file == null) {
            return;
        }
        List<StoredCronJob> stored;
        try {
            stored = file.load();
        } catch (CronJobDocument.NewerVersionException e) {
            keepStored = true;
            log.atWarn()
                    .addKeyValue("event", "cron_restore_failed")
                    .addKeyValue("file", file.where())
                    .addKeyValue("msg", String.valueOf(e.getMessage()) + "; durable jobs are not saved over it")
                    .log("cron_restore_failed");
            return;
        } catch (IOException | RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "cron_restore_failed")
                    .addKeyValue("file", file.where())
                    .addKeyValue("msg", e.getMessage())
                    .log("cron_restore_failed");
            return;
        }
        int restored = 0;
        synchronized (this) {
            for (StoredCronJob entry : stored) {
                if (jobs.size() >= settings.maxJobs()) {
                    log.atWarn()
                            .addKeyValue("event", "cron_job_not_restored")
                            .addKeyValue("reason", "max_jobs")
                            .addKeyValue("job", entry.jobId())
                            .log("cron_job_not_restored");
                    continue;
                }
                if (jobs.containsKey(entry.jobId())) {
                    notRestored(entry, "repeated job id");
                } else if (restoreOne(entry)) {
                    restored++;
                }
            }
        }
        if (restored > 0) {
            log.atInfo()
                    .addKeyValue("event", "cron_jobs_restored")
                    .addKeyValue("count", restored)
                    .addKeyValue("file", file.where())
                    .log("cron_jobs_restored");
        }
        persistSoon();
    }

    /** Adds a stored durable job and plans its next run; {@code false} when it has none or is not valid. Hold the monitor. */
    private boolean restoreOne(StoredCronJob entry) {
        try {
            CronJob job = entry.toJob(settings.maxRepeatCount(), clock.instant());
            if (!job.hasRunsLeft()) {
                return false;
            }
            jobs.put(job.id, job);
            planFrom(job, entry.nextRunAt() == null ? clock.instant() : Instant.parse(entry.nextRunAt()));
            return true;
        } catch (RuntimeException | InvalidCronException e) {
            notRestored(entry, e.getMessage());
            return false;
        }
    }

    private static void notRestored(StoredCronJob entry, String why) {
        log.atWarn()
                .addKeyValue("event", "cron_job_not_restored")
                .addKeyValue("job", entry.jobId())
                .addKeyValue("msg", why)
                .log("cron_job_not_restored");
    }

    /**
     * Adds a job owned by {@code owner} and plans its first run.
     *
     * @return the job as scheduled
     * @throws CronLimitException when the owner or the server holds as many jobs as allowed
     */
    public CronJobView schedule(CronJobSpec spec, Session owner) throws CronLimitException {
        boolean watch;
        CronJobView scheduled;
        StoredCronJob shared = null;
        if (spec.durable()) {
            changes.checkAvailable();
        }
        synchronized (this) {
            if (closed) {
                throw new CronLimitException("the scheduler is stopping");
            }
            if (jobs.size() >= settings.maxJobs()) {
                throw new CronLimitException("the server holds " + jobs.size() + " cron jobs, the most it allows ("
                        + "ARQONBUS_CRON_MAX_JOBS); cancel one first");
            }
            Set<CronJob> owned = byOwner.get(owner);
            if (owned != null && owned.size() >= settings.maxJobsPerClient()) {
                throw new CronLimitException("this connection holds " + owned.size() + " cron jobs, the most it "
                        + "allows (ARQONBUS_CRON_MAX_JOBS_PER_CLIENT); cancel one first");
            }
            String id = newId();
            CronJob job = new CronJob(id, spec, owner, owner.clientId(), clock.instant());
            watch = owned == null;
            if (watch) {
                owned = new LinkedHashSet<>();
                byOwner.put(owner, owned);
            }
            owned.add(job);
            jobs.put(id, job);
            if (spec.cron() != null) {
                planCron(job, job.createdAt);
            } else {
                planIn(job, Math.round(spec.delaySeconds() * 1e9));
            }
            if (job.finished) {
                // A cron expression with no future match: nothing to run.
                forget(job);
            }
            scheduled = job.view();
            if (spec.durable() && !job.finished) {
                shared = StoredCronJob.of(job);
            }
            log.atDebug()
                    .addKeyValue("event", "cron_job_scheduled")
                    .addKeyValue("job", id)
                    .addKeyValue("owner", owner.clientId())
                    .addKeyValue("target", spec.target())
                    .addKeyValue("repeat", spec.repeatCount())
                    .addKeyValue("cron", spec.cron())
                    .log("cron_job_scheduled");
        }
        if (watch) {
            // Runs on the owner's loop when the connection closes (at once if it already has).
            owner.channel().closeFuture().addListener(f -> ownerGone(owner));
        }
        if (spec.durable()) {
            persistSoon();
        }
        if (shared != null) {
            changes.scheduled(shared.jobId(), CronJobDocument.writeJob(shared));
        }
        return scheduled;
    }

    /** The jobs {@code caller} may see, oldest first: its own, or every job for an admin. */
    public synchronized List<CronJobView> list(Session caller, boolean admin) {
        List<CronJobView> out = new ArrayList<>();
        jobs.values().stream()
                .filter(job -> admin || job.owner == caller)
                .sorted(Comparator.comparing((CronJob job) -> job.createdAt).thenComparing(job -> job.id))
                .forEach(job -> out.add(job.view()));
        return out;
    }

    /**
     * Cancels a job its owner or an admin names. Once this returns, the job delivers nothing more.
     *
     * @return {@code false} when no such job exists or it belongs to another connection
     */
    public boolean cancel(String jobId, Session caller, boolean admin) {
        boolean durable;
        synchronized (this) {
            CronJob job = jobs.get(jobId);
            if (job == null || !admin && job.owner != caller) {
                return false;
            }
            durable = job.spec.durable();
            if (durable) {
                changes.checkAvailable();
                copies.remove(jobId);
            }
            stop(job);
            log.atDebug()
                    .addKeyValue("event", "cron_job_cancelled")
                    .addKeyValue("job", jobId)
                    .addKeyValue("by", caller.clientId())
                    .log("cron_job_cancelled");
        }
        if (durable) {
            persistSoon();
            changes.cancelled(jobId);
        }
        return true;
    }

    /** The owner's connection closed: its jobs are cancelled, its durable jobs go on without it. */
    void ownerGone(Session owner) {
        boolean durableLeft = false;
        int cancelled = 0;
        synchronized (this) {
            Set<CronJob> owned = byOwner.remove(owner);
            if (owned == null) {
                return;
            }
            for (CronJob job : List.copyOf(owned)) {
                if (job.spec.durable()) {
                    job.ownerClientId = owner.clientId();
                    job.owner = null;
                    durableLeft = true;
                } else {
                    stop(job);
                    cancelled++;
                }
            }
        }
        if (cancelled > 0) {
            log.atDebug()
                    .addKeyValue("event", "cron_jobs_cancelled")
                    .addKeyValue("reason", "owner_disconnected")
                    .addKeyValue("owner", owner.clientId())
                    .addKeyValue("count", cancelled)
                    .log("cron_jobs_cancelled");
        }
        if (durableLeft) {
            persistSoon();
        }
    }

    /** Stops the scheduler thread and writes the durable jobs a last time. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (CronJob job : jobs.values()) {
                if (job.future != null) {
                    job.future.cancel(false);
                }
            }
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.atWarn()
                        .addKeyValue("event", "cron_stop_slow")
                        .addKeyValue("msg", "the cron thread did not stop within 5 s")
                        .log("cron_stop_slow");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save();
    }

    // ---- running ------------------------------------------------------------------------------

    private void fire(CronJob job) {
        boolean durable = job.spec.durable();
        boolean ended = false;
        try {
            // Claimed before taking the monitor: the lease may be a Redis round trip.
            boolean here = !durable || lease.claim(job.id);
            synchronized (this) {
                if (closed || job.finished || jobs.get(job.id) != job) {
                    return;
                }
                job.future = null;
                job.runs++;
                if (here) {
                    publish(job, job.runs);
                }
                if (!job.hasRunsLeft()) {
                    stop(job);
                    ended = true;
                } else if (job.spec.cron() != null) {
                    Instant after = job.nextRunAt.isAfter(clock.instant()) ? job.nextRunAt : clock.instant();
                    planCron(job, after);
                    if (job.finished) {
                        forget(job);
                        ended = true;
                    }
                } else {
                    planNextInterval(job);
                }
            }
        } catch (RuntimeException e) {
            log.atWarn().setCause(e)
                    .addKeyValue("event", "cron_job_failed")
                    .addKeyValue("job", job.id)
                    .addKeyValue("msg", e.toString())
                    .log("cron_job_failed");
        }
        if (durable) {
            persistSoon();
            if (ended) {
                changes.finished(job.id);
            }
        }
    }

    private void publish(CronJob job, int iteration) {
        ChannelKey target = job.spec.target();
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("cron_job_id", job.id);
        metadata.put("iteration", iteration);
        Envelope envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.MESSAGE)
                .room(target.room())
                .channel(target.channel())
                .sender(SENDER)
                .payload(job.spec.payload().deepCopy())
                .metadata(metadata)
                .build();
        hub.publish(null, envelope);
    }

    /** Plans the first run {@code delayNanos} from now. Call holding the monitor. */
    private void planIn(CronJob job, long delayNanos) {
        long delay = Math.max(0, delayNanos);
        job.nextDueNanos = System.nanoTime() + delay;
        job.nextRunAt = clock.instant().plusNanos(delay);
        submit(job, delay);
    }

    /** The next interval run: one interval after the previous due time, never in the past. */
    private void planNextInterval(CronJob job) {
        long now = System.nanoTime();
        long due = job.nextDueNanos + Math.round(job.spec.intervalSeconds() * 1e9);
        if (due - now < 0) {
            due = now;
        }
        job.nextDueNanos = due;
        job.nextRunAt = clock.instant().plusNanos(due - now);
        submit(job, due - now);
    }

    /** Plans the next match of the job's cron expression after {@code after}; finishes the job when none is left. */
    private void planCron(CronJob job, Instant after) {
        Optional<Instant> next = job.spec.cron().next(after);
        if (next.isEmpty()) {
            job.finished = true;
            job.nextRunAt = null;
            return;
        }
        job.nextRunAt = next.get();
        long delay = Math.max(0, Duration.between(clock.instant(), next.get()).toNanos());
        job.nextDueNanos = System.nanoTime() + delay;
        submit(job, delay);
    }

    /** A restored job: its stored next run, or at once when that passed while the server was down. */
    private void planFrom(CronJob job, Instant due) {
        Instant now = clock.instant();
        if (job.spec.cron() != null) {
            planCron(job, due.isAfter(now) ? due.minusNanos(1) : now);
            if (job.finished) {
                forget(job);
            }
        } else {
            planIn(job, due.isAfter(now) ? Duration.between(now, due).toNanos() : 0);
        }
    }

    private void submit(CronJob job, long delayNanos) {
        try {
            job.future = executor.schedule(() -> fire(job), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            job.finished = true;
        }
    }

    /** Cancels a job's pending run and drops it. Call holding the monitor. */
    private void stop(CronJob job) {
        if (job.spec.durable()) {
            lease.release(job.id);
        }
        job.finished = true;
        if (job.future != null) {
            job.future.cancel(false);
            job.future = null;
        }
        forget(job);
    }

    private void forget(CronJob job) {
        jobs.remove(job.id, job);
        if (job.owner != null) {
            Set<CronJob> owned = byOwner.get(job.owner);
            if (owned != null) {
                owned.remove(job);
            }
        }
    }

    private String newId() {
        for (int attempt = 0; attempt < 16; attempt++) {
            String id = ids.nextToken("cron_", 12);
            if (!jobs.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free cron job id after 16 attempts");
    }

    // ---- persistence --------------------------------------------------------------------------

    private void persistSoon() {
        if (file == null || !savePending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::save);
        } catch (RejectedExecutionException e) {
            savePending.set(false);
        }
    }

    private void save() {
        if (file == null || keepStored) {
            return;
        }
        savePending.set(false);
        List<StoredCronJob> durable = new ArrayList<>();
        synchronized (this) {
            for (CronJob job : jobs.values()) {
                if (job.spec.durable()) {
                    durable.add(StoredCronJob.of(job));
                }
            }
        }
        try {
            file.save(durable);
        } catch (IOException | RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "cron_save_failed")
                    .addKeyValue("file", file.where())
                    .addKeyValue("msg", e.toString())
                    .log("cron_save_failed");
        }
    }
}
