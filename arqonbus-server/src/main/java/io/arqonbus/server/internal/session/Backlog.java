package io.arqonbus.server.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * One member's frames of one channel held back while its connection is behind, in order; bounded
 * by {@link BacklogPolicy#maxFrames()} and {@link BacklogPolicy#maxBytes()}: past either, the
 * oldest frame goes. Under {@code conflate} a publication also replaces the waiting one with the
 * same conflation key, and takes the newest place. What went is counted (publications only, not
 * notices) and said once, in a {@code missed} notice, before the frames that remain. Made only when
 * a member falls behind, dropped once written out. Loop-confined.
 */
final class Backlog {
    /** A held frame; identity is the key of a notice or of a frame without a conflation key. */
    private static final class Held {
        final ByteBuf frame;
        final long offset;
        final Object key;

        Held(ByteBuf frame, long offset, Object key) {
            this.frame = frame;
            this.offset = offset;
            this.key = key;
        }
    }

    private final BacklogPolicy policy;
    /** {@code drop-oldest}: the frames in order. */
    private final ArrayDeque<Held> queue;
    /** {@code conflate}: the frames by conflation key, in the order of their latest arrival. */
    private final LinkedHashMap<Object, Held> latest;
    private long bytes;
    private long missed;
    private long firstMissed;
    private long lastMissed;

    Backlog(BacklogPolicy policy) {
        this.policy = policy;
        this.queue = policy.conflates() ? null : new ArrayDeque<>();
        this.latest = policy.conflates() ? new LinkedHashMap<>() : null;
    }

    /**
     * Keeps a frame (takes ownership). {@code offset} is 0 for a notice, which is never conflated;
     * {@code key} is the publication's conflation key under {@code conflate}.
     */
    void add(ByteBuf frame, long offset, Object key) {
        Held held = new Held(frame, offset, key != null && offset > 0 ? key : null);
        bytes += frame.readableBytes();
        if (latest == null) {
            queue.addLast(held);
        } else {
            Held replaced = latest.remove(held.key != null ? held.key : held);
            if (replaced != null) {
                skip(replaced);
            }
            latest.put(held.key != null ? held.key : held, held);
        }
        while (size() > 1 && (size() > policy.maxFrames() || bytes > policy.maxBytes())) {
            skip(removeOldest());
        }
    }

    private int size() {
        return latest == null ? queue.size() : latest.size();
    }

    private Held removeOldest() {
        if (latest == null) {
            return queue.pollFirst();
        }
        Iterator<Held> it = latest.values().iterator();
        Held oldest = it.next();
        it.remove();
        return oldest;
    }

    private Held oldest() {
        return latest == null ? queue.peekFirst() : latest.values().iterator().next();
    }

    private void skip(Held held) {
        bytes -= held.frame.readableBytes();
        held.frame.release();
        if (held.offset > 0) {
            missed++;
            firstMissed = firstMissed == 0 ? held.offset : Math.min(firstMissed, held.offset);
            lastMissed = Math.max(lastMissed, held.offset);
            policy.skipped();
        }
    }

    /**
     * Writes the {@code missed} notice (when something went) and then the held frames, in order,
     * while the connection takes them; returns whether everything was written.
     */
    boolean drainInto(Outbound outbound) {
        if (missed > 0) {
            ByteBuf notice = policy.missedNotice(missed, firstMissed, lastMissed);
            if (!outbound.takes(notice.readableBytes())) {
                notice.release();
                return false;
            }
            outbound.write(notice);
            missed = 0;
            firstMissed = 0;
            lastMissed = 0;
        }
        while (size() > 0) {
            if (!outbound.takes(oldest().frame.readableBytes())) {
                return false;
            }
            Held next = removeOldest();
            bytes -= next.frame.readableBytes();
            outbound.write(next.frame);
        }
        return true;
    }

    /** Bytes of the frames held. */
    long bytes() {
        return bytes;
    }

    /** How many frames are held. */
    int frames() {
        return size();
    }

    /** Releases every frame held. */
    void release() {
        while (size() > 0) {
            removeOldest().frame.release();
        }
        bytes = 0;
    }
}
