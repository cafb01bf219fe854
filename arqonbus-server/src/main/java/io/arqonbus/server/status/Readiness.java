package io.arqonbus.server.status;

/** Whether the server accepts traffic, as {@code GET /ready} reports it. */
public enum Readiness {
    /** Ports are being bound; not accepting traffic yet. */
    STARTING,
    /** Accepting traffic. */
    READY,
    /** {@link ArqonBus#stop()} was called: clients are being closed and no new ones are taken. */
    DRAINING;

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
