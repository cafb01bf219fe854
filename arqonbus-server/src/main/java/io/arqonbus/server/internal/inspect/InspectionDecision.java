package io.arqonbus.server.internal.inspect;

/** What an inspection decided about one envelope. */
public enum InspectionDecision {
    /** Deliver unchanged; nothing was found. */
    ALLOW("allow"),
    /** Deliver unchanged; something was found and reported (monitor mode, or below the blocking rules). */
    ALLOW_WITH_FLAGS("allow_with_flags"),
    /** Deliver (and store) a redacted copy. */
    REDACT("redact"),
    /** Do not deliver or store; the sender gets an error frame. */
    BLOCK("block");

    private final String wireName;

    InspectionDecision(String wireName) {
        this.wireName = wireName;
    }

    /** The name in telemetry, metrics and {@code metadata.casil.decision}. */
    public String wireName() {
        return wireName;
    }
}
