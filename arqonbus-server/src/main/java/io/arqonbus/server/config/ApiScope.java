package io.arqonbus.server.config;

import java.util.Locale;

/**
 * What an HTTP API key may do (docs/http-api.md): each scope includes the ones before it.
 * {@link #READ} reads (history, presence, channels, info), {@link #PUBLISH} also publishes and sends,
 * {@link #ADMIN} also disconnects clients, creates and deletes channels and reloads the CASIL policy.
 */
public enum ApiScope {
    READ, PUBLISH, ADMIN;

    /** Whether a key of this scope may do what {@code needed} allows. */
    public boolean includes(ApiScope needed) {
        return compareTo(needed) >= 0;
    }

    /** The lower-case name used in settings and answers. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code text} (case-insensitive), or {@code null}. */
    public static ApiScope parse(String text) {
        for (ApiScope scope : values()) {
            if (scope.wireName().equalsIgnoreCase(text.trim())) {
                return scope;
            }
        }
        return null;
    }
}
