package io.arqonbus.client;

/** The {@code state} of the {@code typing} command ({@link ArqonBusClient#typing}). */
public enum TypingState {
    START("start"),
    STOP("stop");

    private final String wire;

    TypingState(String wire) {
        this.wire = wire;
    }

    /** The name on the wire. */
    public String wire() {
        return wire;
    }
}
