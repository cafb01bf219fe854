package io.arqonbus.server.pattern;

/**
 * Glob matching over names such as {@code room:channel}: {@code *} matches any run of characters
 * (including none), {@code ?} exactly one, everything else itself (case-sensitive, as room and
 * channel names are). Linear in practice, never exponential: one backtrack point.
 */
public final class Glob {
    private Glob() {
    }

    /** Whether {@code text} matches {@code pattern}. */
    public static boolean matches(String pattern, String text) {
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
}
