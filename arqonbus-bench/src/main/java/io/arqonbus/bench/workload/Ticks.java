package io.arqonbus.bench.workload;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The clock of a publishing phase: from {@code start} to {@code end}, a warm-up until
 * {@code warmEnd}, and a progress tick about once a second. Runs on the caller's thread; bounded by
 * the number of seconds in the phase.
 */
final class Ticks {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** What happens at the end of the warm-up and at each tick. */
    interface Listener {
        /** The warm-up ended at {@code now}; called once, and only when there was a warm-up. */
        void warm(long now);

        /**
         * A progress tick at {@code now}, {@code seconds} after the one before (or the start).
         *
         * @param warmingUp whether the warm-up is still running
         */
        void tick(long now, double seconds, boolean warmingUp);
    }

    private Ticks() {
    }

    static void run(long start, long warmEnd, long end, Listener listener) {
        boolean warm = warmEnd <= start;
        long lastTick = start;
        int ticks = 0;
        long maxTicks = (end - start) / SECOND + 2;
        while (System.nanoTime() < end && ticks++ < maxTicks) {
            long next = Math.min(end, lastTick + SECOND);
            if (!warm && warmEnd < next) {
                next = warmEnd;
            }
            parkUntil(next);
            long now = System.nanoTime();
            if (!warm && now >= warmEnd) {
                warm = true;
                listener.warm(now);
                ticks--;
                continue;
            }
            listener.tick(now, (now - lastTick) / 1e9, now < warmEnd);
            lastTick = now;
        }
    }

    /** Parks until {@code deadline} ({@link System#nanoTime()}); bounded against spurious wake-ups. */
    static void parkUntil(long deadline) {
        for (int i = 0; i < 1000; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }
}
