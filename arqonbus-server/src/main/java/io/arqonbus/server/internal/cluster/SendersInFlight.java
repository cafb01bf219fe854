package io.arqonbus.server.internal.cluster;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The senders of this node's publications whose publish/subscribe message has not come back yet,
 * by the message's sequence number, so a sender does not receive its own publication back. A
 * message that never comes back (lost, and then filled from the stream, which does not say who sent
 * it) would leave its entry for ever: each {@link #sweep} remembers the newest sequence number given
 * out, and forgets the entries older than the one remembered {@code sweepsKept} sweeps before.
 *
 * @param <S> what a sender is
 */
final class SendersInFlight<S> {
    private final ConcurrentHashMap<Long, S> senders = new ConcurrentHashMap<>();
    /** The newest sequence number at each of the last sweeps, a ring. */
    private final long[] marks;
    private int next;

    /** @param sweepsKept how many sweeps an entry outlives at least */
    SendersInFlight(int sweepsKept) {
        this.marks = new long[sweepsKept];
    }

    void put(long seq, S sender) {
        senders.put(seq, sender);
    }

    /** The sender of this message, forgotten; {@code null} when unknown (the server's, or forgotten). */
    S remove(long seq) {
        return senders.remove(seq);
    }

    /** Called periodically with the newest sequence number given out; forgets what is older than {@code sweepsKept} sweeps. */
    synchronized void sweep(long newest) {
        long old = marks[next];
        marks[next] = newest;
        next = (next + 1) % marks.length;
        if (old > 0) {
            senders.keySet().removeIf(seq -> seq <= old);
        }
    }

    int size() {
        return senders.size();
    }

    void clear() {
        senders.clear();
    }
}
