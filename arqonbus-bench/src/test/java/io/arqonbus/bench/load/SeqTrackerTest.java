package io.arqonbus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeqTrackerTest {
    @Test
    void countsGapsDuplicatesAndTheMissingTail() {
        LoopStats stats = new LoopStats(2);
        SeqTracker tracker = new SeqTracker(2, new int[] {0, 1});

        tracker.arrived(0, 1, stats);
        tracker.arrived(0, 2, stats);
        tracker.arrived(0, 5, stats);
        tracker.arrived(0, 5, stats);
        tracker.arrived(0, 3, stats);
        tracker.arrived(1, 1, stats);
        assertThat(tracker.arrived(9, 1, stats)).isFalse();

        assertThat(stats.lost()).isEqualTo(2);
        assertThat(stats.duplicates()).isEqualTo(2);
        assertThat(stats.unexpected()).isEqualTo(1);
        assertThat(tracker.missingTail(new long[] {7, 1})).isEqualTo(2);
    }
}
