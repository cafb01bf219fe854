package io.arqonbus.bench.scan;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Allocation-free scanning of JSON text frames for fixed markers such as {@code "bseq":}. The
 * load generator and the floor server never parse frames on their hot paths; they look for their
 * own markers in the bytes. Only compact JSON (no whitespace around {@code :}) is recognised,
 * which is what the generator writes and what ArqonBus, the floor and Socket.IO send back.
 */
public final class ByteScan {
    /** Returned by {@link #readLong} when no digits follow the index. */
    public static final long NO_NUMBER = Long.MIN_VALUE;

    /** At most 18 digits are read, so a value never overflows. */
    private static final int MAX_READ_DIGITS = 18;

    private ByteScan() {
    }

    /** The ASCII/UTF-8 bytes of a marker. */
    public static byte[] marker(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The absolute index of the first occurrence of {@code needle} in the readable bytes of
     * {@code buf} at or after {@code from}, or -1.
     */
    public static int indexOf(ByteBuf buf, byte[] needle, int from) {
        int start = Math.max(from, buf.readerIndex());
        int last = buf.writerIndex() - needle.length;
        if (needle.length == 0) {
            return start <= buf.writerIndex() ? start : -1;
        }
        byte first = needle[0];
        for (int i = start; i <= last; i++) {
            if (buf.getByte(i) != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && buf.getByte(i + j) == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first occurrence of {@code needle} in {@code bytes[0, length)} at or after
     * {@code from}, or -1 (the same search on a copy of a frame: one bulk read instead of a read
     * per byte, which also keeps Netty's leak detector from recording every byte).
     */
    public static int indexOf(byte[] bytes, int length, byte[] needle, int from) {
        int last = length - needle.length;
        if (needle.length == 0) {
            return from <= length ? Math.max(0, from) : -1;
        }
        byte first = needle[0];
        for (int i = Math.max(0, from); i <= last; i++) {
            if (bytes[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && bytes[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #valueIndex(ByteBuf, byte[], int)} on {@code bytes[0, length)}. */
    public static int valueIndex(byte[] bytes, int length, byte[] marker, int from) {
        int at = indexOf(bytes, length, marker, from);
        return at < 0 ? -1 : at + marker.length;
    }

    /** {@link #readLong(ByteBuf, int)} on {@code bytes[0, length)}. */
    public static long readLong(byte[] bytes, int length, int index) {
        if (index < 0 || index >= length) {
            return NO_NUMBER;
        }
        boolean negative = bytes[index] == '-';
        int i = negative ? index + 1 : index;
        long value = 0;
        int digits = 0;
        while (i < length) {
            byte b = bytes[i];
            if (b < '0' || b > '9') {
                break;
            }
            if (++digits > MAX_READ_DIGITS) {
                return NO_NUMBER;
            }
            value = value * 10 + (b - '0');
            i++;
        }
        if (digits == 0) {
            return NO_NUMBER;
        }
        return negative ? -value : value;
    }

    /** The index just after the value of the marker (e.g. {@code "bseq":}), or -1 when absent. */
    public static int valueIndex(ByteBuf buf, byte[] marker, int from) {
        int at = indexOf(buf, marker, from);
        return at < 0 ? -1 : at + marker.length;
    }

    /**
     * Reads an optionally negative decimal integer starting at {@code index}; {@link #NO_NUMBER}
     * when there is no digit there or the number has more than 18 digits.
     */
    public static long readLong(ByteBuf buf, int index) {
        int end = buf.writerIndex();
        if (index < 0 || index >= end) {
            return NO_NUMBER;
        }
        boolean negative = buf.getByte(index) == '-';
        int i = negative ? index + 1 : index;
        long value = 0;
        int digits = 0;
        while (i < end) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            if (++digits > MAX_READ_DIGITS) {
                return NO_NUMBER;
            }
            value = value * 10 + (b - '0');
            i++;
        }
        if (digits == 0) {
            return NO_NUMBER;
        }
        return negative ? -value : value;
    }

    /**
     * The absolute index of the closing quote of a JSON string whose first character is at
     * {@code start} (just after the opening quote), skipping backslash escapes; -1 when unterminated.
     */
    public static int stringEnd(ByteBuf buf, int start) {
        int end = buf.writerIndex();
        for (int i = start; i < end; i++) {
            byte b = buf.getByte(i);
            if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Whether the {@code length} bytes of {@code buf} at {@code index} equal {@code bytes}. */
    public static boolean regionEquals(ByteBuf buf, int index, int length, byte[] bytes) {
        if (bytes == null || bytes.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value} in decimal without allocating. */
    public static void writeLong(ByteBuf buf, long value) {
        if (value == 0) {
            buf.writeByte('0');
            return;
        }
        if (value < 0) {
            buf.writeByte('-');
            if (value == Long.MIN_VALUE) {
                buf.writeBytes(marker("9223372036854775808"));
                return;
            }
            value = -value;
        }
        long divisor = 1;
        int digits = 1;
        while (digits < 19 && divisor <= value / 10) {
            divisor *= 10;
            digits++;
        }
        for (int d = 0; d < digits; d++) {
            long digit = value / divisor;
            buf.writeByte((int) ('0' + digit));
            value -= digit * divisor;
            divisor /= 10;
        }
    }
}
