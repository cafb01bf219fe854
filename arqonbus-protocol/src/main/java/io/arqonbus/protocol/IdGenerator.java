package io.arqonbus.protocol;

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
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public IdGenerator() {
        this.prefix = "arq_" + System.nanoTime() + "_";
    }

    /** A new envelope id. */
    public String nextId() {
        long n = counter.incrementAndGet();
        int noise = ThreadLocalRandom.current().nextInt(1 << 24);
        return prefix + n + "_" + HEX.toHexDigits(noise).substring(2);
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
