package io.arqonbus.server.internal.transport;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a bus connection: an upgrade request whose {@code Origin} header
 * is not on the list is refused with 403. An empty list allows every origin; requests without an
 * {@code Origin} header (not from a browser) are always allowed. Entries are compared whole and
 * case-insensitively (e.g. {@code https://app.example.com}); {@code *} allows every origin.
 */
final class OriginAllowList {
    private final List<String> allowed;

    OriginAllowList(List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).toList();
    }

    boolean allows(String origin) {
        if (origin == null || allowed.isEmpty() || allowed.contains("*")) {
            return true;
        }
        return allowed.contains(origin.trim().toLowerCase(Locale.ROOT));
    }
}
