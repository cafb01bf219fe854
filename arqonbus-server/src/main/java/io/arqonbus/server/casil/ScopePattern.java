package io.arqonbus.server.casil;

import io.arqonbus.server.pattern.Glob;
import java.util.List;

/**
 * A list of {@code room:channel} patterns: a pattern ending in {@code *} (and containing no other
 * wildcard) is a prefix; otherwise it is a glob where {@code *} matches any run of characters
 * (including none) and {@code ?} one character. Matching is case-sensitive, as room and channel
 * names are.
 */
public final class ScopePattern {
    private final List<String> patterns;

    ScopePattern(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether any pattern matches the target. */
    boolean matchesAny(String target) {
        for (String pattern : patterns) {
            if (matches(pattern, target)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(String pattern, String target) {
        int star = pattern.indexOf('*');
        if (star == pattern.length() - 1 && pattern.indexOf('?') < 0) {
            return target.startsWith(pattern.substring(0, star));
        }
        return Glob.matches(pattern, target);
    }

    List<String> patterns() {
        return patterns;
    }
}
