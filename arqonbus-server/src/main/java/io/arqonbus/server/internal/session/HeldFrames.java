package io.arqonbus.server.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's live frames held back from one session while its recovery reads history: each with
 * its offset (0 for notices). Bounded; loop-confined.
 */
final class HeldFrames {
    private final long recoveredUpTo;
    private final int max;
    private final List<ByteBuf> frames = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    private boolean overflowed;

    HeldFrames(long recoveredUpTo, int max) {
        this.recoveredUpTo = recoveredUpTo;
        this.max = max;
    }

    /** Keeps a frame (takes ownership); past the bound the frame is dropped and the hold overflows. */
    void add(long offset, ByteBuf frame) {
        if (overflowed || frames.size() >= max) {
            overflowed = true;
            frame.release();
            return;
        }
        frames.add(frame);
        offsets.add(offset);
    }

    boolean overflowed() {
        return overflowed;
    }

    /**
     * The held frames to send now, in order, without those the recovery already covers (a
     * publication at or before {@code recoveredUpTo}, which it reads from history); those are
     * released.
     */
    List<ByteBuf> drain() {
        List<ByteBuf> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            long offset = offsets.get(i);
            if (offset != 0 && offset <= recoveredUpTo) {
                frames.get(i).release();
            } else {
                out.add(frames.get(i));
            }
        }
        frames.clear();
        offsets.clear();
        return out;
    }

    /** Releases everything held. */
    void release() {
        frames.forEach(ByteBuf::release);
        frames.clear();
        offsets.clear();
    }
}
