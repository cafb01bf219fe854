package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.StoreSync;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link RocksHistoryStoreTest}: appends {@code n} entries to a file store
 * one at a time, printing {@code confirmed <offset>} as each is confirmed, then queues as many
 * more without waiting and halts the JVM at once (no close, no shutdown hooks): an unclean stop.
 */
public final class CrashingWriter {
    static final ChannelKey STREAM = ChannelKey.of("crash", "test");
    static final int HALTED = 77;

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Clock clock = Clock.systemUTC();
        RocksHistoryStore store = new RocksHistoryStore(dir, 100_000, Duration.ofDays(3650), StoreSync.ALWAYS, clock,
                new EnvelopeCodec(new IdGenerator(), clock));
        store.open();
        for (long offset = 1; offset <= n; offset++) {
            append(store, offset).get(30, TimeUnit.SECONDS);
            System.out.println("confirmed " + offset);
        }
        for (long offset = n + 1; offset <= 2L * n; offset++) {
            append(store, offset);
        }
        System.out.flush();
        Runtime.getRuntime().halt(HALTED);
    }

    private static CompletableFuture<Void> append(RocksHistoryStore store, long offset) {
        String json = "{\"type\":\"message\",\"payload\":{\"n\":" + offset + "},\"metadata\":{\"offset\":" + offset
                + ",\"epoch\":\"e1\"},\"room\":\"crash\",\"channel\":\"test\"}";
        ByteBuf buf = Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
        try {
            return store.append(STREAM, new StreamPosition(offset, "e1"), buf, Instant.now());
        } finally {
            buf.release();
        }
    }
}
