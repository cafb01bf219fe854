package io.arqonbus.server.internal.events;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.hub.PublicationListener;
import io.arqonbus.server.internal.session.Session;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The last publications the hub delivered (seed 002's event history): a bounded ring fed as a
 * {@link PublicationListener}, read by {@code ?welcome=recent} and {@code GET /events/recent}.
 *
 * <p>Lock-free: a publisher reserves a sequence number and writes one slot, so recording costs one
 * atomic increment and one store on the publishing thread, whichever channel it publishes to.
 * A reader walks back from the newest sequence and skips slots already overwritten by a newer
 * event or not yet written, so it sees a consistent (possibly slightly shorter) list. With a
 * capacity of 0 nothing is recorded.
 */
public final class RecentEvents implements PublicationListener {
    /** How many events a reader gets when it does not say: {@value} (or the capacity, if smaller). */
    public static final int DEFAULT_COUNT = 20;

    private final int capacity;
    private final AtomicReferenceArray<RecentEvent> slots;
    private final AtomicLong next = new AtomicLong();

    /** @param capacity how many publications to keep; 0 keeps none */
    public RecentEvents(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    @Override
    public void published(Envelope delivered, Session sender) {
        if (capacity == 0) {
            return;
        }
        long sequence = next.getAndIncrement();
        slots.set(slot(sequence), new RecentEvent(sequence, delivered,
                sender == null ? null : sender.principal().tenantId(), sender == null));
    }

    /** How many publications the ring keeps at most; 0 when recent events are off. */
    public int capacity() {
        return capacity;
    }

    /** Whether recent events are kept at all. */
    public boolean enabled() {
        return capacity > 0;
    }

    /** How many events the ring holds now (at most {@link #capacity()}). */
    public int size() {
        return (int) Math.min(next.get(), capacity);
    }

    /** Publications seen since start, including those the ring no longer holds. */
    public long total() {
        return next.get();
    }

    /** {@link #DEFAULT_COUNT}, or the capacity when it is smaller. */
    public int defaultCount() {
        return Math.min(DEFAULT_COUNT, capacity);
    }

    /**
     * Reads how many events a reader asks for: {@code null} means {@link #defaultCount()};
     * otherwise an integer from 1 to the capacity.
     *
     * @param name the parameter's name, for the error sentence
     * @throws IllegalArgumentException with a sentence for the client when the value is not valid
     */
    public int count(String name, String value) {
        if (value == null) {
            return defaultCount();
        }
        int count;
        try {
            count = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException("'" + name + "' must be an integer from 1 to " + capacity
                    + ", not '" + abbreviate(value) + "'");
        }
        return count;
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }

    /**
     * The newest events that pass {@code visible}, at most {@code max} of them, oldest first
     * (newest last). Looks at no more than {@link #capacity()} slots.
     */
    public List<RecentEvent> latest(int max, Predicate<RecentEvent> visible) {
        ArrayDeque<RecentEvent> out = new ArrayDeque<>(Math.min(max, capacity));
        long end = next.get();
        long start = Math.max(0, end - capacity);
        for (long sequence = end - 1; sequence >= start && out.size() < max; sequence--) {
            RecentEvent event = slots.get(slot(sequence));
            if (event != null && event.sequence() == sequence && visible.test(event)) {
                out.addFirst(event);
            }
        }
        return List.copyOf(out);
    }

    private int slot(long sequence) {
        return (int) (sequence % capacity);
    }
}
