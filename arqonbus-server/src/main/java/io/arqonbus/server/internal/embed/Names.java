package io.arqonbus.server.internal.embed;

/**
 * The wire's rule for room and channel names (protocol §3), for what the host application
 * publishes: 1 to 128 code points, no white space or control characters; rooms have no {@code :}.
 */
public final class Names {
    private static final int MAX_CODE_POINTS = 128;

    private Names() {
    }

    /**
     * Checks a room or channel name.
     *
     * @throws IllegalArgumentException naming the field when it is not valid
     */
    public static String require(String field, String value, boolean room) {
        if (!valid(value, room)) {
            throw new IllegalArgumentException(field + " '" + value + "': must be 1-128 printable characters "
                    + "without white space" + (room ? " or ':'" : ""));
        }
        return value;
    }

    static boolean valid(String value, boolean room) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        int codePoints = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (++codePoints > MAX_CODE_POINTS || c <= 0x20 || c == 0x7F || Character.isWhitespace(c)
                    || (room && c == ':')) {
                return false;
            }
        }
        return true;
    }
}
