package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.internal.history.HistoryQuery.Window;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMergeTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private static HistoryQuery query(Instant since, Instant until, int limit, Window window, boolean newestFirst) {
        return new HistoryQuery("science", null, since, until, limit, window, newestFirst);
    }

    private static Instant at(int millis) {
        return T0.plusMillis(millis);
    }

    /** Offers {@code times} of one stream (oldest first) from the end the window keeps, as a store walks it. */
    private static int walk(BoundedMerge<String> merge, HistoryQuery query, String stream, int... times) {
        int offered = 0;
        boolean latest = query.window() == Window.LATEST;
        for (int k = 0; k < times.length; k++) {
            int i = latest ? times.length - 1 - k : k;
            offered++;
            String name = stream + "@" + times[i];
            if (!merge.offer(at(times[i]), stream, i + 1, () -> name)) {
                break;
            }
        }
        return offered;
    }

    /** Streams a (1, 4, 6) and b (2, 5, 7) merged for {@code query}. */
    private static List<String> twoStreams(HistoryQuery query) {
        BoundedMerge<String> merge = new BoundedMerge<>(query);
        walk(merge, query, "a", 1, 4, 6);
        walk(merge, query, "b", 2, 5, 7);
        return merge.result();
    }

    @Test
    void latestKeepsTheNewestAcrossStreamsInTheQuerysOrder() {
        assertThat(twoStreams(query(null, null, 3, Window.LATEST, false))).containsExactly("b@5", "a@6", "b@7");
        assertThat(twoStreams(query(null, null, 3, Window.LATEST, true))).containsExactly("b@7", "a@6", "b@5");
    }

    @Test
    void earliestKeepsTheOldestAcrossStreams() {
        assertThat(twoStreams(query(null, null, 2, Window.EARLIEST, false))).containsExactly("a@1", "b@2");
    }

    @Test
    void aWalkStopsOnceNothingFurtherOfTheStreamCanBeKept() {
        HistoryQuery q = query(null, null, 2, Window.LATEST, false);
        BoundedMerge<String> merge = new BoundedMerge<>(q);
        assertThat(walk(merge, q, "a", 10, 11, 12)).isEqualTo(3);
        // b's newest is older than both held: the walk ends at its first entry.
        assertThat(walk(merge, q, "b", 1, 2, 3)).isEqualTo(1);
        assertThat(merge.result()).containsExactly("a@11", "a@12");
    }

    @Test
    void entriesOutsideTheRangeAreLeftOutAndEndTheWalkOnTheFarSide() {
        HistoryQuery q = query(at(2), at(5), 10, Window.LATEST, false);
        BoundedMerge<String> merge = new BoundedMerge<>(q);
        // 6 and 5 are past until (passed over), 1 is before since (the walk ends there).
        assertThat(walk(merge, q, "a", 0, 1, 2, 4, 5, 6)).isEqualTo(5);
        assertThat(merge.result()).containsExactly("a@2", "a@4");

        HistoryQuery from = query(at(2), at(5), 10, Window.EARLIEST, false);
        BoundedMerge<String> replay = new BoundedMerge<>(from);
        assertThat(walk(replay, from, "a", 0, 1, 2, 4, 5, 6)).isEqualTo(5);
        assertThat(replay.result()).containsExactly("a@2", "a@4");
    }

    @Test
    void tiesInTimeAreOrderedByStreamThenOffset() {
        HistoryQuery q = query(null, null, 10, Window.LATEST, false);
        BoundedMerge<String> merge = new BoundedMerge<>(q);
        merge.keep(at(1), "b", 1, () -> "b1");
        merge.keep(at(1), "a", 2, () -> "a2");
        merge.keep(at(1), "a", 1, () -> "a1");
        assertThat(merge.result()).containsExactly("a1", "a2", "b1");
    }

    @Test
    void aValueIsMadeOnlyForAnEntryThatIsKept() {
        HistoryQuery q = query(null, null, 1, Window.LATEST, false);
        BoundedMerge<String> merge = new BoundedMerge<>(q);
        AtomicInteger made = new AtomicInteger();
        assertThat(merge.keep(at(5), "a", 1, () -> "new" + made.incrementAndGet())).isTrue();
        assertThat(merge.keep(at(4), "a", 2, () -> "old" + made.incrementAndGet())).isFalse();
        assertThat(made).hasValue(1);
        assertThat(merge.result()).isEqualTo(List.of("new1"));
    }

    @Test
    void aLimitOfZeroKeepsNothing() {
        HistoryQuery q = query(null, null, 0, Window.LATEST, false);
        BoundedMerge<String> merge = new BoundedMerge<>(q);
        assertThat(merge.keep(at(1), "a", 1, () -> "a")).isFalse();
        assertThat(merge.result()).isEmpty();
    }
}
