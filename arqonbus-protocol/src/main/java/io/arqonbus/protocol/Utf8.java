package io.arqonbus.protocol;

/**
 * Strict UTF-8 (RFC 3629, Unicode table 3-7): no overlong forms, no encoded surrogates, nothing
 * past U+10FFFF. The JSON parser is more lenient (it decodes overlong forms, for one), which is
 * harmless for what the server re-encodes from its trees, but a client's text that is passed on
 * as it is must be valid UTF-8 for every receiver: a browser closes a WebSocket that sends it
 * invalid UTF-8 (1007).
 */
final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code bytes[from, to)} is well-formed UTF-8. */
    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            if (b >= 0xC2 && b <= 0xDF) {
                if (i + 1 >= to || !continuation(bytes[i + 1], 0x80, 0xBF)) {
                    return false;
                }
                i += 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                int low = b == 0xE0 ? 0xA0 : 0x80;
                int high = b == 0xED ? 0x9F : 0xBF;
                if (i + 2 >= to || !continuation(bytes[i + 1], low, high) || !continuation(bytes[i + 2], 0x80, 0xBF)) {
                    return false;
                }
                i += 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                int low = b == 0xF0 ? 0x90 : 0x80;
                int high = b == 0xF4 ? 0x8F : 0xBF;
                if (i + 3 >= to || !continuation(bytes[i + 1], low, high) || !continuation(bytes[i + 2], 0x80, 0xBF)
                        || !continuation(bytes[i + 3], 0x80, 0xBF)) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte value, int low, int high) {
        int b = value & 0xFF;
        return b >= low && b <= high;
    }
}
