package io.arqonbus.cli.token;

import io.arqonbus.cli.common.CliException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a lifetime such as {@code 90s}, {@code 15m}, {@code 1h}, {@code 1h30m}, {@code 7d} or ISO {@code PT1H}. */
final class Ttl {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    /** The longest lifetime accepted. */
    static final Duration MAX = Duration.ofDays(366);

    private Ttl() {
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Duration total = null;
        if (t.startsWith("p")) {
            try {
                total = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } catch (DateTimeParseException e) {
                total = null;
            }
        } else if (!t.isEmpty()) {
            Matcher m = PART.matcher(t);
            int end = 0;
            total = Duration.ZERO;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end != t.length()) {
                total = null;
            }
        }
        if (total == null || !total.isPositive() || total.compareTo(MAX) > 0) {
            throw CliException.usage("--ttl: '" + text + "' (expected: a positive lifetime up to 366d such as "
                    + "90s, 15m, 1h, 1h30m, 7d or PT1H)");
        }
        return total;
    }
}
