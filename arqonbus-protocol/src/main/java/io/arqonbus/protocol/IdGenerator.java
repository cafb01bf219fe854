package io.arqonbus.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the server's {@code arq_} ids, unique per process:
 * {@code arq_<start-nanos>_<counter>_<6 hex>}, and client ids {@code arq_client_<32 hex>}.
 * One instance per server; safe for concurrent use.
 */
public final class IdGenerator {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private final String prefix;
    private final byte[] prefixBytes;
    private final AtomicLong counter = new AtomicLong();

    public IdGenerator() {
        this.prefix = "arq_" + System.nanoTime() + "_";
        this.prefixBytes = prefix.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A new envelope id. Written into one byte array and made a string once: an id is made for
     * every publication and every reply, and the concatenation it replaces made three strings.
     */
    public String nextId() {
        long n = counter.incrementAndGet();
        int noise = ThreadLocalRandom.current().nextInt(1 << 24);
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        byte[] id = new byte[prefixBytes.length + digits + 7];
        System.arraycopy(prefixBytes, 0, id, 0, prefixBytes.length);
        int at = prefixBytes.length + digits;
        for (long rest = n; at > prefixBytes.length; rest /= 10) {
            id[--at] = (byte) ('0' + rest % 10);
        }
        at = prefixBytes.length + digits;
        id[at++] = '_';
        for (int shift = 20; shift >= 0; shift -= 4) {
            id[at++] = HEX_DIGITS[(noise >>> shift) & 0xF];
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** A new client id, {@code arq_client_} and 32 hex digits. */
    public String nextClientId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "arq_client_" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    /** A new id with a short prefix and {@code hexDigits} random hex digits, e.g. {@code sub_3fa9…}. */
    public String nextToken(String tokenPrefix, int hexDigits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(tokenPrefix.length() + hexDigits).append(tokenPrefix);
        while (sb.length() < tokenPrefix.length() + hexDigits) {
            sb.append(HEX.toHexDigits(random.nextLong()));
        }
        sb.setLength(tokenPrefix.length() + hexDigits);
        return sb.toString();
    }
}
