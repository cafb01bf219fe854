package io.arqonbus.server.internal.inspect;

/**
 * A character sequence that fails with {@link InspectionTimeoutException} once a deadline has
 * passed. Operator-supplied expressions run over it, so a pathological expression (catastrophic
 * backtracking) stops within the inspection budget instead of holding an event loop; the clock
 * is read once every 4096 character reads.
 */
final class DeadlineCharSequence implements CharSequence {
    private static final int CHECK_EVERY = 4096;
    private final CharSequence text;
    private final long deadlineNanos;
    private int reads;

    DeadlineCharSequence(CharSequence text, long deadlineNanos) {
        this.text = text;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        if (++reads >= CHECK_EVERY) {
            reads = 0;
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new InspectionTimeoutException();
            }
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** The inspection ran past its time budget. */
    static final class InspectionTimeoutException extends RuntimeException {
        InspectionTimeoutException() {
            super("inspection timed out", null, false, false);
        }
    }
}
