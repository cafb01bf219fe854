package io.arqonbus.server.casil;

/** How CASIL acts on what it finds. */
public enum CasilMode {
    /** Flag only: never block, never change the message. */
    MONITOR,
    /** Block oversize payloads and (optionally) probable secrets; redact what is transported when asked. */
    ENFORCE;

    /** The name in the policy ({@code monitor}, {@code enforce}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
