package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.StoreSync;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB store passes the durable store contract (each test in its own directory; a restart
 * is a new instance over the same directory), commits concurrent appends in groups without
 * reordering a stream, keeps every confirmed append when the process dies without closing, and
 * reports a broken disk instead of failing the server.
 */
class RocksHistoryStoreTest extends DurableHistoryStoreContract {
    @TempDir
    Path temp;
    private Path directory;
    private int made;

    @Override
    protected HistoryStore create(int maxPerStream, Duration maxAge) {
        directory = temp.resolve("store-" + ++made);
        return new RocksHistoryStore(directory, maxPerStream, maxAge, StoreSync.ALWAYS, clock, codec);
    }

    @Override
    protected HistoryStore reopen(int maxPerStream, Duration maxAge) {
        return new RocksHistoryStore(directory, maxPerStream, maxAge, StoreSync.ALWAYS, clock, codec);
    }

    private static GroupCommitter writer(HistoryStore store) {
        return ((RocksHistoryStore) store).writer();
    }

    @Test
    void namesItselfFile() {
        assertThat(store().backend()).isEqualTo("file");
        assertThat(store().health()).isEqualTo(StoreHealth.UP);
    }

    @Test
    void concurrentAppendsAreCommittedInGroupsAndEachStreamCompletesInOrder() throws Exception {
        HistoryStore store = store(100_000, Duration.ofHours(1));
        int threads = 4;
        int perThread = 2_000;
        ChannelKey shared = ChannelKey.of("science", "shared");
        AtomicLong sharedOffsets = new AtomicLong();
        List<List<Long>> ownCompleted = new ArrayList<>();
        List<Long> sharedCompleted = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ChannelKey own = ChannelKey.of("load", "t" + t);
            List<Long> completed = Collections.synchronizedList(new ArrayList<>());
            ownCompleted.add(completed);
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 1; i <= perThread; i++) {
                    long offset = i;
                    all.add(appendAsync(store, own, i, EPOCH, T0.plusMillis(i)).thenRun(() -> completed.add(offset)));
                    // The hub gives offsets and appends under the channel's monitor; so does this.
                    synchronized (sharedOffsets) {
                        long next = sharedOffsets.incrementAndGet();
                        all.add(appendAsync(store, shared, next, EPOCH, T0.plusMillis(next))
                                .thenRun(() -> sharedCompleted.add(next)));
                    }
                }
            }));
        }
        long groupsBefore = writer(store).groupsCommitted();
        go.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        }
        join(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));

        int appends = threads * perThread * 2;
        assertThat(all).hasSize(appends);
        for (List<Long> completed : ownCompleted) {
            assertThat(completed).hasSize(perThread).isSorted();
        }
        assertThat(sharedCompleted).hasSize(threads * perThread).isSorted();
        long groups = writer(store).groupsCommitted() - groupsBefore;
        assertThat(groups).as("synced writes for %d appends", appends).isLessThan(appends / 4);
        assertThat(offsets(join(store.read(shared, 0, 100_000, false))))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
        assertThat(store.size()).isEqualTo(appends);
    }

    @Test
    void everyConfirmedAppendSurvivesAProcessThatDiesWithoutClosing() throws Exception {
        Path dir = temp.resolve("crash");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString(), "100")
                .redirectErrorStream(true)
                .start();
        long lastConfirmed = 0;
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("confirmed ")) {
                    lastConfirmed = Math.max(lastConfirmed, Long.parseLong(line.substring(10)));
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("child output %s", output).isEqualTo(CrashingWriter.HALTED);
        assertThat(lastConfirmed).as("child output %s", output).isEqualTo(100);

        HistoryStore again = track(new RocksHistoryStore(dir, 100_000, Duration.ofDays(3650), StoreSync.ALWAYS,
                clock, codec));
        Map<ChannelKey, StreamPosition> heads = again.open();
        long head = heads.get(CrashingWriter.STREAM).offset();
        assertThat(head).isGreaterThanOrEqualTo(lastConfirmed);
        // Groups are atomic and written in order: what survived is every offset up to the head.
        assertThat(offsets(join(again.read(CrashingWriter.STREAM, 0, 100_000, false))))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
        assertThat(again.size()).isEqualTo(head);
    }

    @Test
    void aWriteTheEngineRefusesFailsWithStoreUnavailableAndTheStoreSaysSo() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 2);
        ((RocksHistoryStore) store).engine().close(); // the database goes away under the writer

        CompletableFuture<Void> refused = appendAsync(store, EXPLORE, 3, EPOCH, T0);

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(store.health().available()).isFalse();
        assertThat(store.health().detail()).contains("history store");
        assertThatThrownBy(() -> store.read(EXPLORE, 0, 10, false).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreUnavailableException.class);
        store.close();
        store.close();
        assertThatThrownBy(() -> appendAsync(store, EXPLORE, 4, EPOCH, T0).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aDirectoryInUseByAnotherStoreIsRefusedWithAReason() {
        store();
        HistoryStore second = track(reopen(100, Duration.ofHours(1)));
        assertThatThrownBy(second::open)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(directory.toString());
    }

    @Test
    void trimmingDeletesExpiredEntriesFromDiskAndKeepsThePosition() {
        HistoryStore store = store(100, Duration.ofSeconds(60));
        appendRange(store, EXPLORE, 1, 5);
        clock.advance(Duration.ofSeconds(30));
        append(store, EXPLORE, 6, EPOCH, clock.instant());
        clock.advance(Duration.ofSeconds(40));

        join(((RocksHistoryStore) store).trimNow());

        assertThat(store.size()).isEqualTo(1);
        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(6L);
        clock.advance(Duration.ofMinutes(5));
        join(((RocksHistoryStore) store).trimNow());
        assertThat(store.size()).isZero();
        store.close();
        HistoryStore again = track(reopen(100, Duration.ofSeconds(60)));
        assertThat(again.open()).containsEntry(EXPLORE, new StreamPosition(6, EPOCH));
        assertThat(again.size()).isZero();
    }

    @Test
    void aSmallerCountBoundAppliesToWhatIsOnDiskAtOpen() {
        HistoryStore store = store(100, Duration.ofHours(1));
        appendRange(store, EXPLORE, 1, 20);
        store.close();

        HistoryStore again = track(reopen(5, Duration.ofHours(1)));
        again.open();

        assertThat(again.size()).isEqualTo(5);
        assertThat(offsets(join(again.read(EXPLORE, 0, 100, false)))).containsExactly(16L, 17L, 18L, 19L, 20L);
        appendRange(again, EXPLORE, 21, 22);
        assertThat(offsets(join(again.read(EXPLORE, 0, 100, false)))).containsExactly(18L, 19L, 20L, 21L, 22L);
    }

    @Test
    void anOffsetThatDoesNotMoveForwardIsRefusedAndLeavesTheStreamAlone() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 3);
        assertThatThrownBy(() -> appendAsync(store, EXPLORE, 3, EPOCH, T0).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.health().available()).isTrue();
        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(1L, 2L, 3L);
        assertThat(store.size()).isEqualTo(3);
        assertThat(join(store.read(EXPLORE, Long.MAX_VALUE, 10, false))).isEmpty();
        assertThat(offsets(join(store.read(EXPLORE, -5, 10, false)))).containsExactly(1L, 2L, 3L);
    }
}
