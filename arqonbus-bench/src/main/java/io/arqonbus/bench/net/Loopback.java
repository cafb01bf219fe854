package io.arqonbus.bench.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The bench talks only to loopback addresses. */
public final class Loopback {
    /** The largest {@code --source-addresses}: 127.0.0.2 … 127.0.0.251. */
    public static final int MAX_SOURCE_ADDRESSES = 250;

    private Loopback() {
    }

    /** Whether {@code host} is a literal or name that resolves to a loopback address. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * {@code count} local addresses 127.0.0.2, 127.0.0.3, … (port 0) to bind client sockets to, so
     * that each gets its own ephemeral port range; empty when {@code count} is 0 (the kernel picks).
     */
    public static List<InetSocketAddress> sourceAddresses(int count) {
        if (count < 0 || count > MAX_SOURCE_ADDRESSES) {
            throw new IllegalArgumentException("source addresses: " + count + " (expected 0.." + MAX_SOURCE_ADDRESSES + ")");
        }
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(new InetSocketAddress("127.0.0." + (2 + i), 0));
        }
        return addresses;
    }
}
