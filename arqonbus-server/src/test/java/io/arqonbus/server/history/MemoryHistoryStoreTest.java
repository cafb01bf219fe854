package io.arqonbus.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory ring passes the store contract, keeps references to the delivered bytes, and gives
 * each back as soon as it is trimmed.
 */
class MemoryHistoryStoreTest extends HistoryStoreContract {

    @Override
    protected HistoryStore create(int maxPerStream, Duration maxAge) {
        return new MemoryHistoryStore(maxPerStream, maxAge, clock, codec);
    }

    private static ByteBuf frame(long offset) {
        return Unpooled.directBuffer().writeBytes(json(EXPLORE, offset, EPOCH).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void isNotDurableAndStartsEmpty() {
        HistoryStore store = store();
        assertThat(store.durable()).isFalse();
        assertThat(store.backend()).isEqualTo("memory");
    }

    @Test
    void trimmedEntriesAreReleasedAndReadsAreIndependentCopies() {
        HistoryStore store = store(3, Duration.ofHours(1));
        List<ByteBuf> frames = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ByteBuf frame = frame(i);
            frames.add(frame);
            store.append(EXPLORE, new StreamPosition(i, EPOCH), frame, T0);
            frame.release(); // the caller's own reference
        }

        assertThat(frames.subList(0, 2)).allSatisfy(f -> assertThat(f.refCnt()).isZero());
        assertThat(frames.subList(2, 5)).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(1));
        List<StoredMessage> kept = join(store.read(EXPLORE, 0, 10, false));

        join(store.delete(EXPLORE));

        assertThat(frames).allSatisfy(f -> assertThat(f.refCnt()).isZero());
        assertThat(store.size()).isZero();
        // What a read returned stays readable after the entries are gone.
        assertThat(kept.get(2).envelope().payload().get("n").asInt()).isEqualTo(5);
    }

    @Test
    void closeReleasesEveryStreamAndAStoreThatKeepsNothingTakesNoReference() {
        HistoryStore store = create(10, Duration.ofHours(1));
        ByteBuf a = frame(1);
        ByteBuf b = frame(2);
        store.append(EXPLORE, new StreamPosition(1, EPOCH), a, T0);
        store.append(SHARE, new StreamPosition(1, EPOCH), b, T0);
        store.close();
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(b.refCnt()).isEqualTo(1);

        HistoryStore none = create(0, Duration.ofHours(1));
        none.append(EXPLORE, new StreamPosition(1, EPOCH), a, T0);
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(none.size()).isZero();
        a.release();
        b.release();
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreReleasedOnTheNextAppend() {
        HistoryStore store = store(10, Duration.ofSeconds(60));
        ByteBuf old = frame(1);
        store.append(EXPLORE, new StreamPosition(1, EPOCH), old, T0);
        old.release();
        clock.advance(Duration.ofSeconds(61));
        ByteBuf fresh = frame(2);
        store.append(EXPLORE, new StreamPosition(2, EPOCH), fresh, clock.instant());
        fresh.release();

        assertThat(old.refCnt()).isZero();
        assertThat(fresh.refCnt()).isEqualTo(1);
        store.close();
        assertThat(fresh.refCnt()).isZero();
    }
}
