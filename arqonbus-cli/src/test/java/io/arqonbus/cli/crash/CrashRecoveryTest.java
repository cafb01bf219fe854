package io.arqonbus.cli.crash;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.bench.ledger.AckLedger;
import io.arqonbus.bench.ledger.ChannelHistory;
import io.arqonbus.bench.ledger.LedgerCheck;
import io.arqonbus.server.testing.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance test: a publisher sends 20,000 messages with durable acks to one channel
 * while the server runs as a separate process; the server is killed with SIGKILL mid-stream and
 * restarted on the same data; every acknowledged message is then in the channel's history, in
 * order, exactly once. The publisher sends the messages that were unanswered at the kill again
 * after the restart, with the same idempotency keys; the server must not store those twice
 * either. Run for the embedded disk store and for Redis ({@code appendonly yes},
 * {@code appendfsync always}); the memory store shows that the check notices loss.
 *
 * <p>Each run prints one {@code event=crash_test …} line with the counts (in the surefire output file).
 */
@Timeout(180)
class CrashRecoveryTest {
    private static final int TOTAL = 20_000;
    private static final int KILL_AT = 8_000;
    private static final int WINDOW = 64;
    /** A bound, not the expected time: a run takes 10–40 s on a busy two-core machine. */
    private static final Duration PUBLISH_LIMIT = Duration.ofSeconds(80);
    private static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> RETENTION = List.of("--max-history-size", "100000");

    @TempDir
    Path dir;

    @Test
    void embeddedStoreKeepsEveryAckedMessageThroughSigkill() throws Exception {
        Path data = dir.resolve("data");
        Crash crash = crash("file", Map.of(), List.of("--store", "file:" + data, "--store-sync", "always"),
                TOTAL, KILL_AT);

        crash.assertEveryAckedMessageOnceInOrder();
    }

    @Test
    void redisKeepsEveryAckedMessageThroughSigkill() throws Exception {
        try (ExternalServer redis = RedisProcess.start(dir)) {
            Crash crash = crash("redis", Map.of("ARQONBUS_STORAGE_BACKEND", "redis", "ARQONBUS_REDIS_URL", RedisProcess.url(redis)),
                    List.of(), TOTAL, KILL_AT);

            crash.assertEveryAckedMessageOnceInOrder();
        }
    }

    @Test
    void theCheckNoticesThatTheMemoryStoreLosesAckedMessages() throws Exception {
        Crash crash = crash("memory", Map.of(), List.of(), 5_000, 1_000);

        assertThat(crash.before().acked()).as(crash.summary()).isGreaterThanOrEqualTo(1_000);
        assertThat(crash.before().missing()).as(crash.summary()).isEqualTo(crash.before().acked());
        assertThat(crash.after().missing()).as(crash.summary()).isEqualTo(crash.before().acked());
        assertThat(crash.after().storedTwice()).as(crash.summary()).isZero();
    }

    /**
     * Runs the scenario: start, publish, SIGKILL at {@code killAt} acks, restart on the same
     * store, finish publishing (unanswered ones again), read the whole channel back.
     */
    private Crash crash(String store, Map<String, String> env, List<String> storeArgs, int total, int killAt)
            throws Exception {
        List<String> args = new ArrayList<>(RETENTION);
        args.addAll(storeArgs);
        Path log = dir.resolve("server.log");
        AtomicReference<URI> current = new AtomicReference<>();
        ServerProcess first = ServerProcess.start(env, args, log);
        current.set(first.uri());
        RetryingPublisher publisher = new RetryingPublisher(total, WINDOW, current::get, PUBLISH_LIMIT);
        Thread thread = new Thread(publisher, "crash-publisher");
        thread.setDaemon(true);
        long started = System.nanoTime();
        thread.start();
        try {
            await().atMost(PUBLISH_LIMIT).pollInterval(Duration.ofMillis(5))
                    .until(() -> publisher.acked() >= killAt || publisher.done().isDone());
            assertThat(publisher.done()).as("publishing ended before the kill: %s", publisher.done()).isNotDone();
            current.set(null);
            first.kill();
            long killedAt = System.nanoTime();
            try (ServerProcess second = ServerProcess.start(env, args, log)) {
                long restartNanos = System.nanoTime() - killedAt;
                current.set(second.uri());
                RetryingPublisher.Outcome outcome = publisher.done().get(PUBLISH_LIMIT.toSeconds(), TimeUnit.SECONDS);
                List<ChannelHistory.Entry> history;
                try (TestClient reader = TestClient.connect(second.uri()).get(10, TimeUnit.SECONDS)) {
                    history = ChannelHistory.read(query -> reader.command("history", query), RetryingPublisher.ROOM, RetryingPublisher.CHANNEL, 0,
                            total * 2 + ChannelHistory.PAGE, HISTORY_TIMEOUT);
                }
                Crash crash = new Crash(store, total, outcome, history,
                        LedgerCheck.check(Map.of(0, outcome.beforeCrash()), history),
                        LedgerCheck.check(Map.of(0, outcome.ledger()), history),
                        (System.nanoTime() - started) / 1_000_000, restartNanos / 1_000_000, log);
                System.out.println(crash.summary());
                return crash;
            }
        } finally {
            current.set(null);
            first.close();
            thread.interrupt();
        }
    }

    /** One run's outcome and the two checks: against the acks received before the kill, and against all acks. */
    private record Crash(String store, int total, RetryingPublisher.Outcome outcome, List<ChannelHistory.Entry> history,
            LedgerCheck.Result before, LedgerCheck.Result after, long millis, long restartMillis, Path log) {

        /** Counts on one line; also the description of every assertion. */
        String summary() {
            AckLedger pre = outcome.beforeCrash();
            long retriedStoredTwice = outcome.waitingAtCrash().stream()
                    .filter(seq -> history.stream().filter(e -> e.publisher() == 0 && e.seq() == seq).count() > 1)
                    .count();
            long retriedStoredOnceBefore = outcome.ledger().duplicateFlags() - (pre == null ? 0 : pre.duplicateFlags());
            return "event=crash_test store=" + store + " total=" + total + " acked_before_kill=" + before.acked()
                    + " unanswered_at_kill=" + outcome.waitingAtCrash().size()
                    + " retried_acked_as_duplicate=" + retriedStoredOnceBefore
                    + " retried_stored_twice=" + retriedStoredTwice
                    + " acked=" + after.acked() + " entries=" + after.entries() + " present=" + after.present()
                    + " missing_before_kill=" + before.missing() + " missing=" + after.missing()
                    + " acked_twice=" + after.ackedTwice() + " stored_twice=" + after.storedTwice()
                    + " out_of_order=" + after.outOfOrder() + " offset_mismatches=" + after.offsetMismatches()
                    + " refusals=" + outcome.refusals() + " reconnects=" + outcome.reconnects()
                    + " epochs=" + history.stream().map(ChannelHistory.Entry::epoch).distinct().count()
                    + " restart_ms=" + restartMillis + " total_ms=" + millis
                    + (before.problems().isEmpty() ? "" : " first_problems_before_kill=" + first(before.problems()))
                    + (after.problems().isEmpty() ? "" : " first_problems=" + first(after.problems()))
                    + " server_log=" + log;
        }

        private static List<String> first(List<String> problems) {
            return problems.subList(0, Math.min(3, problems.size()));
        }

        /** The guarantee: every message acked (before or after the kill) is stored exactly once, in order. */
        void assertEveryAckedMessageOnceInOrder() {
            String summary = summary();
            assertThat(outcome.beforeCrash()).as("the publisher never saw the kill: %s", summary).isNotNull();
            assertThat(before.acked()).as(summary).isGreaterThanOrEqualTo(KILL_AT);
            assertThat(before.missing()).as("acked before the kill, missing after the restart: %s", summary).isZero();
            assertThat(before.offsetMismatches()).as(summary).isZero();
            assertThat(before.ackedTwice()).as(summary).isZero();
            assertThat(after.acked()).as(summary).isEqualTo(total);
            assertThat(after.present()).as(summary).isEqualTo(total);
            assertThat(after.missing()).as(summary).isZero();
            assertThat(after.outOfOrder()).as(summary).isZero();
            assertThat(after.ackedTwice()).as("retried messages stored twice: %s", summary).isZero();
            assertThat(after.storedTwice()).as(summary).isZero();
            assertThat(after.offsetMismatches()).as(summary).isZero();
            assertThat(after.foreign()).as(summary).isZero();
        }
    }
}
