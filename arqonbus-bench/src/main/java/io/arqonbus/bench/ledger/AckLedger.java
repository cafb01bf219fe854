package io.arqonbus.bench.ledger;

import java.util.Arrays;

/**
 * What one publisher was told about its messages, by sequence number (1, 2, …): the offset a
 * durable ack gave, or that the store refused the message ({@code STORAGE_UNAVAILABLE}). Not
 * thread-safe: one thread (a publisher's event loop, or a test's publisher thread) writes it;
 * others read it only after handing over (a completed future, a task run on that loop).
 */
public final class AckLedger {
    /** The highest sequence number a ledger holds. */
    public static final long MAX_SEQ = Integer.MAX_VALUE - 16;
    private static final long NONE = 0;
    private static final long REFUSED = -1;

    private long[] offsets;
    private long acked;
    private long refused;
    private long duplicateFlags;
    private long repeatedAnswers;
    private long highestAnswered;

    public AckLedger() {
        this(1024);
    }

    private AckLedger(int capacity) {
        offsets = new long[Math.max(16, capacity)];
    }

    /**
     * Records the ack of {@code seq} at {@code offset} (offsets start at 1). An answer for a
     * sequence number that already had one is counted as repeated and replaces it.
     *
     * @param duplicateFlag the ack said {@code "duplicate":true} (an earlier publication with the
     *                      same idempotency key stands for this one)
     */
    public void acked(long seq, long offset, boolean duplicateFlag) {
        if (offset < 1) {
            throw new IllegalArgumentException("offset " + offset + " (offsets start at 1)");
        }
        long before = answer(seq, offset);
        if (before <= 0) {
            acked++;
        }
        if (before == REFUSED) {
            refused--;
        }
        if (duplicateFlag) {
            duplicateFlags++;
        }
    }

    /** Records that the store could not take {@code seq} (an error frame instead of an ack). */
    public void refused(long seq) {
        long before = answer(seq, REFUSED);
        if (before > 0) {
            acked--;
        }
        if (before != REFUSED) {
            refused++;
        }
    }

    private long answer(long seq, long value) {
        if (seq < 1 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("sequence number " + seq + " (expected 1.." + MAX_SEQ + ")");
        }
        int index = (int) (seq - 1);
        if (index >= offsets.length) {
            offsets = Arrays.copyOf(offsets, (int) Math.min(MAX_SEQ, Math.max(index + 1L, offsets.length * 2L)));
        }
        long before = offsets[index];
        if (before != NONE) {
            repeatedAnswers++;
        }
        offsets[index] = value;
        highestAnswered = Math.max(highestAnswered, seq);
        return before;
    }

    /** The offset {@code seq} was acked at, or 0 when it was not acked (no answer, or refused). */
    public long offsetOf(long seq) {
        if (seq < 1 || seq > highestAnswered) {
            return 0;
        }
        long value = offsets[(int) (seq - 1)];
        return Math.max(0, value);
    }

    /** Whether {@code seq} got any answer (an ack or a refusal). */
    public boolean answered(long seq) {
        return seq >= 1 && seq <= highestAnswered && offsets[(int) (seq - 1)] != NONE;
    }

    /** Sequence numbers acked (each counted once). */
    public long acked() {
        return acked;
    }

    /** Sequence numbers whose latest answer was a refusal. */
    public long refused() {
        return refused;
    }

    /** Acks that said {@code "duplicate":true}. */
    public long duplicateFlags() {
        return duplicateFlags;
    }

    /** Answers for a sequence number that had already been answered. */
    public long repeatedAnswers() {
        return repeatedAnswers;
    }

    /** The highest sequence number answered so far (0 before the first answer). */
    public long highestAnswered() {
        return highestAnswered;
    }

    /** An independent copy (e.g. what had been acked when the server was killed). */
    public AckLedger copy() {
        AckLedger copy = new AckLedger(0);
        copy.offsets = Arrays.copyOf(offsets, offsets.length);
        copy.acked = acked;
        copy.refused = refused;
        copy.duplicateFlags = duplicateFlags;
        copy.repeatedAnswers = repeatedAnswers;
        copy.highestAnswered = highestAnswered;
        return copy;
    }
}
