package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.StoreSync;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.RocksHistoryStore;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.testing.MutableClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storm of rejoins that missed the same publications asks the file store for one read, not one
 * per member: 5,000 recoveries asked at once (five times the file store's read queue, past which
 * the store refuses a read as overloaded) all get the missed publications.
 */
class SharedRecoveryReadsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final ChannelKey CHANNEL = ChannelKey.of("bench", "c1");
    private static final int MEMBERS = 5_000;

    @TempDir
    Path dir;

    @Test
    void membersThatMissedTheSamePublicationsShareOneReadAndAllRecover() throws Exception {
        try (HistoryStore store = fileStore()) {
            SharedRecoveryReads reads = new SharedRecoveryReads(store);
            List<CompletableFuture<List<StoredMessage>>> answers = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                answers.add(reads.read(CHANNEL, 1, 2));
            }
            assertThat(reads.inFlight()).isLessThanOrEqualTo(1);
            for (CompletableFuture<List<StoredMessage>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).extracting(StoredMessage::offset)
                        .containsExactly(2L, 3L);
            }
            assertThat(reads.inFlight()).isZero();
            // Nothing is kept: a later rejoin reads again and sees a later publication.
            append(store, 4);
            assertThat(reads.read(CHANNEL, 1, 3).get(30, TimeUnit.SECONDS)).extracting(StoredMessage::offset)
                    .containsExactly(2L, 3L, 4L);
        }
    }

    private HistoryStore fileStore() throws Exception {
        MutableClock clock = new MutableClock(T0);
        HistoryStore store = new RocksHistoryStore(dir.resolve("store"), 1_000, Duration.ofHours(1), StoreSync.ALWAYS,
                clock, new EnvelopeCodec(new IdGenerator(), clock));
        store.open();
        for (long offset = 1; offset <= 3; offset++) {
            append(store, offset);
        }
        return store;
    }

    private static void append(HistoryStore store, long offset) throws Exception {
        String json = "{\"id\":\"arq_m" + offset + "\",\"timestamp\":\"2026-12-01T06:00:00.000Z\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":{\"n\":" + offset + "},\"args\":{},\"metadata\":{\"offset\":"
                + offset + ",\"epoch\":\"e1\"},\"room\":\"bench\",\"channel\":\"c1\",\"sender\":\"arq_client_x\"}";
        ByteBuf buf = Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
        try {
            store.append(CHANNEL, new StreamPosition(offset, "e1"), buf, T0).get(30, TimeUnit.SECONDS);
        } finally {
            buf.release();
        }
    }
}
