package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * The idempotency keys a channel saw within the dedup window, each with the position its first
 * publication got. Bounded by age and count, oldest forgotten first; guarded by the channel's lock.
 *
 * <p>Kept without an object per key: the keys in first-seen order in parallel circular arrays
 * (time, offset, epoch, hash, where the key's characters start in one circular {@code char[]}),
 * found through an open-addressing table of slot numbers. A window holds up to
 * {@link Hub#DEFAULT_DEDUP_MAX_KEYS} keys for minutes, so a map of entries, records, futures and
 * instants per key outlives young collections and is copied and promoted for nothing; this one is
 * a few arrays the collector never looks into (docs/benchmarks.md, "Round two: where an ack's CPU
 * goes"). A key whose store append has not completed yet keeps its future in a short queue until
 * the append completes; later calls settle it into the arrays.
 */
final class IdempotencyWindow {
    private static final int INITIAL_SLOTS = 16;
    /** A slot's {@code keyLengths} value once its key was forgotten (a refused publication). */
    private static final int FORGOTTEN = -1;

    /** A key whose first publication's append has not completed yet. */
    private record Unsettled(long sequence, CompletableFuture<StreamPosition> position) {
    }

    private final Duration window;
    private final int maxKeys;

    private long[] atNanos = new long[INITIAL_SLOTS];
    private long[] offsets = new long[INITIAL_SLOTS];
    private String[] epochs = new String[INITIAL_SLOTS];
    private int[] hashes = new int[INITIAL_SLOTS];
    private long[] keyStarts = new long[INITIAL_SLOTS];
    private int[] keyLengths = new int[INITIAL_SLOTS];
    /** Logical number of the oldest slot kept, and one past the newest: slot = sequence & (length - 1). */
    private long first;
    private long next;
    private int live;

    /** Slot number + 1 of each key by hash, 0 = empty; linear probing, at most half full. */
    private int[] index = new int[INITIAL_SLOTS * 2];

    private char[] chars = new char[256];
    private long charsFirst;
    private long charsEnd;

    private final ArrayDeque<Unsettled> unsettled = new ArrayDeque<>();

    IdempotencyWindow(Duration window, int maxKeys) {
        this.window = window;
        this.maxKeys = maxKeys;
    }

    /** The position of the first publication with this key within the window, or {@code null}. */
    CompletableFuture<StreamPosition> find(String key, Instant now) {
        settle();
        expire(nanos(now.minus(window)));
        int at = lookup(key, spread(key.hashCode()));
        if (at < 0) {
            return null;
        }
        long sequence = sequenceOf(at);
        for (Unsettled u : unsettled) {
            if (u.sequence() == sequence) {
                if (u.position().isCompletedExceptionally()) {
                    drop(at);
                    return null;
                }
                return u.position();
            }
        }
        return epochs[at] == null ? null
                : CompletableFuture.completedFuture(new StreamPosition(offsets[at], epochs[at]));
    }

    /** Remembers a key's first publication (its position, or the future of it). */
    void remember(String key, CompletableFuture<StreamPosition> position, Instant now) {
        settle();
        int hash = spread(key.hashCode());
        int existing = lookup(key, hash);
        if (existing >= 0) {
            drop(existing);
        }
        if (next - first == atNanos.length) {
            grow();
        }
        long sequence = next++;
        int at = slot(sequence);
        atNanos[at] = nanos(now);
        hashes[at] = hash;
        keyStarts[at] = appendChars(key);
        keyLengths[at] = key.length();
        StreamPosition known = position.isDone() && !position.isCompletedExceptionally() ? position.join() : null;
        if (known != null) {
            offsets[at] = known.offset();
            epochs[at] = known.epoch();
        } else {
            epochs[at] = null;
            unsettled.addLast(new Unsettled(sequence, position));
        }
        insert(hash, at);
        live++;
        while (live > maxKeys) {
            dropOldest();
        }
    }

    /** Forgets a key whose publication was refused, so a retry is a first attempt again. */
    void forget(String key, CompletableFuture<StreamPosition> position) {
        int at = lookup(key, spread(key.hashCode()));
        if (at < 0) {
            return;
        }
        long sequence = sequenceOf(at);
        for (Iterator<Unsettled> it = unsettled.iterator(); it.hasNext(); ) {
            Unsettled u = it.next();
            if (u.sequence() == sequence && u.position() == position) {
                it.remove();
                drop(at);
                return;
            }
        }
    }

    /** The keys remembered. */
    int size() {
        return live;
    }

    /** Writes the positions of appends that completed, oldest first, into their slots. */
    private void settle() {
        Unsettled u;
        while ((u = unsettled.peekFirst()) != null && u.position().isDone()) {
            unsettled.pollFirst();
            int at = slot(u.sequence());
            if (u.sequence() < first || keyLengths[at] == FORGOTTEN) {
                continue;
            }
            if (u.position().isCompletedExceptionally()) {
                // Refused: a retry is a first attempt again (as forget would make it).
                drop(at);
            } else {
                StreamPosition position = u.position().join();
                offsets[at] = position.offset();
                epochs[at] = position.epoch();
            }
        }
    }

    private void expire(long oldest) {
        while (first < next && atNanos[slot(first)] < oldest) {
            dropOldest();
        }
    }

    /** Drops the oldest slot (and its key, unless already forgotten), and any forgotten slots after it. */
    private void dropOldest() {
        int at = slot(first);
        if (keyLengths[at] != FORGOTTEN) {
            drop(at);
        }
        advanceFirst();
    }

    private void advanceFirst() {
        while (first < next && keyLengths[slot(first)] == FORGOTTEN) {
            epochs[slot(first)] = null;
            first++;
        }
        charsFirst = first < next ? keyStarts[slot(first)] : charsEnd;
        if (first == next) {
            unsettled.clear();
        } else {
            while (!unsettled.isEmpty() && unsettled.peekFirst().sequence() < first) {
                unsettled.pollFirst();
            }
        }
    }

    /** Removes a live slot's key from the index and marks the slot forgotten. */
    private void drop(int at) {
        remove(at);
        keyLengths[at] = FORGOTTEN;
        epochs[at] = null;
        live--;
        if (at == slot(first)) {
            advanceFirst();
        }
    }

    private long sequenceOf(int at) {
        long offset = (at - slot(first)) & (atNanos.length - 1);
        return first + offset;
    }

    private int slot(long sequence) {
        return (int) (sequence & (atNanos.length - 1));
    }

    // ---- the index --------------------------------------------------------------------------

    private int lookup(String key, int hash) {
        int mask = index.length - 1;
        for (int i = hash & mask; index[i] != 0; i = (i + 1) & mask) {
            int at = index[i] - 1;
            if (hashes[at] == hash && keyEquals(at, key)) {
                return at;
            }
        }
        return -1;
    }

    private void insert(int hash, int at) {
        int mask = index.length - 1;
        int i = hash & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = at + 1;
    }

    /** Removes a slot from the index, shifting later entries of its probe run back (no tombstones). */
    private void remove(int at) {
        int mask = index.length - 1;
        int i = hashes[at] & mask;
        while (index[i] != at + 1) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = hashes[index[j] - 1] & mask;
            // Move j into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    /** Doubles the slots, keeping logical numbers (slots move, so the index is rebuilt). */
    private void grow() {
        int capacity = atNanos.length * 2;
        long[] t = new long[capacity];
        long[] o = new long[capacity];
        String[] e = new String[capacity];
        int[] h = new int[capacity];
        long[] s = new long[capacity];
        int[] l = new int[capacity];
        for (long q = first; q < next; q++) {
            int from = slot(q);
            int to = (int) (q & (capacity - 1));
            t[to] = atNanos[from];
            o[to] = offsets[from];
            e[to] = epochs[from];
            h[to] = hashes[from];
            s[to] = keyStarts[from];
            l[to] = keyLengths[from];
        }
        atNanos = t;
        offsets = o;
        epochs = e;
        hashes = h;
        keyStarts = s;
        keyLengths = l;
        index = new int[capacity * 2];
        for (long q = first; q < next; q++) {
            int at = slot(q);
            if (keyLengths[at] != FORGOTTEN) {
                insert(hashes[at], at);
            }
        }
    }

    // ---- the keys' characters ---------------------------------------------------------------

    private long appendChars(String key) {
        int n = key.length();
        if (charsEnd - charsFirst + n > chars.length) {
            long needed = charsEnd - charsFirst + n;
            int capacity = chars.length;
            while (capacity < needed) {
                capacity *= 2;
            }
            char[] grown = new char[capacity];
            for (long p = charsFirst; p < charsEnd; p++) {
                grown[(int) (p & (capacity - 1))] = chars[(int) (p & (chars.length - 1))];
            }
            chars = grown;
        }
        long start = charsEnd;
        int mask = chars.length - 1;
        for (int k = 0; k < n; k++) {
            chars[(int) ((start + k) & mask)] = key.charAt(k);
        }
        charsEnd += n;
        return start;
    }

    private boolean keyEquals(int at, String key) {
        int n = keyLengths[at];
        if (n != key.length()) {
            return false;
        }
        long start = keyStarts[at];
        int mask = chars.length - 1;
        for (int k = 0; k < n; k++) {
            if (chars[(int) ((start + k) & mask)] != key.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    @Override
    public String toString() {
        return "IdempotencyWindow[" + live + " keys, " + Arrays.toString(new long[] {first, next}) + "]";
    }
}
