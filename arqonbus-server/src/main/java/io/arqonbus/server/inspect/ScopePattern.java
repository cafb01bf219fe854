package io.arqonbus.server.inspect;

import java.util.List;

/**
 * A list of {@code room:channel} patterns: a pattern ending in {@code *} (and containing no other
 * wildcard) is a prefix; otherwise it is a glob where {@code *} matches any run of characters
 * (including none) and {@code ?} one character. Matching is case-sensitive, as room and channel
 * names are.
 */
final class ScopePattern {
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

    static boolean matches(String pattern, String target) {
        int star = pattern.indexOf('*');
        if (star == pattern.length() - 1 && pattern.indexOf('?') < 0) {
            return target.startsWith(pattern.substring(0, star));
        }
        return glob(pattern, target);
    }

    /** Iterative glob matching with one backtrack point: linear in practice, never exponential. */
    private static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    List<String> patterns() {
        return patterns;
    }
}
