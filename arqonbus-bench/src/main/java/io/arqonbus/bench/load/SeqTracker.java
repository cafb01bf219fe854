package io.arqonbus.bench.load;

/**
 * One subscriber's view of its publishers' sequence numbers (each starts at 1 and grows by 1).
 * A jump forward counts the skipped numbers as lost; a number at or below the last one seen is a
 * duplicate. Confined to the subscriber's event loop.
 */
public final class SeqTracker {
    private final long[] last;
    private final int[] expectedPublishers;

    /**
     * @param publishers         how many publishers the run has
     * @param expectedPublishers the publishers that publish to this subscriber's channel
     */
    public SeqTracker(int publishers, int[] expectedPublishers) {
        this.last = new long[publishers];
        this.expectedPublishers = expectedPublishers.clone();
    }

    /** Records one arrival; counts into {@code stats}; returns false when the publisher is unknown. */
    boolean arrived(int publisher, long seq, LoopStats stats) {
        if (publisher < 0 || publisher >= last.length) {
            stats.countUnexpected();
            return false;
        }
        long previous = last[publisher];
        if (seq > previous) {
            if (seq > previous + 1) {
                stats.lost(seq - previous - 1);
            }
            last[publisher] = seq;
        } else {
            stats.duplicate();
        }
        return true;
    }

    /** The messages this subscriber never got after its last arrival, given each publisher's last sequence. */
    public long missingTail(long[] finalSeq) {
        long missing = 0;
        for (int publisher : expectedPublishers) {
            missing += Math.max(0, finalSeq[publisher] - last[publisher]);
        }
        return missing;
    }
}
