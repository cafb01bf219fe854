package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.internal.session.Session;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publications this node sequenced whose publish/subscribe message has not come back yet, by
 * envelope id, so that one read back from the stream to fill a gap (its message was lost) is still
 * known as this node's: delivered to the webhooks once, from this node, and not back to its sender
 * (docs/cluster.md, "Control plane"). Another node's stream reads find nothing here, so no node
 * but the accepting one treats a filled publication as accepted. An entry whose message never
 * comes back nor is filled (trimmed from the stream) is forgotten after {@code sweepsKept} sweeps,
 * as {@link SendersInFlight} forgets its senders.
 */
final class OwnPublications {
    /** Whether a publication read from the stream is this node's, and its sender (when it is still known). */
    record Claim(boolean here, Session sender) {
        static final Claim OTHERS = new Claim(false, null);
    }

    private final ConcurrentHashMap<String, Long> sequences = new ConcurrentHashMap<>();
    private final SendersInFlight<Session> senders;
    /** The newest sequence number at each of the last sweeps, a ring. */
    private final long[] marks;
    private int next;

    OwnPublications(SendersInFlight<Session> senders, int sweepsKept) {
        this.senders = senders;
        this.marks = new long[sweepsKept];
    }

    /** This node is sequencing the publication {@code id} under the sequence number {@code seq}. */
    void accepted(String id, long seq) {
        if (id != null) {
            sequences.put(id, seq);
        }
    }

    /** Its message came back (or it was refused, or was a duplicate): nothing to claim any more. */
    void forget(String id) {
        if (id != null) {
            sequences.remove(id);
        }
    }

    /** A publication read from the stream: this node's (once), with its sender, or {@link Claim#OTHERS}. */
    Claim claim(String id) {
        Long seq = id == null ? null : sequences.remove(id);
        return seq == null ? Claim.OTHERS : new Claim(true, senders.remove(seq));
    }

    /** Called periodically with the newest sequence number given out; forgets what is older than {@code sweepsKept} sweeps. */
    synchronized void sweep(long newest) {
        long old = marks[next];
        marks[next] = newest;
        next = (next + 1) % marks.length;
        if (old > 0) {
            sequences.values().removeIf(seq -> seq <= old);
        }
    }

    int size() {
        return sequences.size();
    }

    void clear() {
        sequences.clear();
    }
}
