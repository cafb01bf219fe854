package io.arqonbus.server.internal.history;

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
 * The in-memory ring passes the store contract, keeps its own copy of the delivered bytes (no
 * reference to the caller's frame), and keeps runs of every size intact as its buffer wraps and grows.
 */
class MemoryHistoryStoreTest extends HistoryStoreContract {

    @Override
    protected HistoryStore create(int maxPerStream, Duration maxAge) {
        // Byte bounds far above what the contract writes: the bounded path, never reached.
        return new MemoryHistoryStore(maxPerStream, 4L << 20, 16L << 20, maxAge, clock, codec);
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
    void entriesAreCopiesTrimmedOnesAreGoneAndReadsStayReadable() {
        HistoryStore store = store(3, Duration.ofHours(1));
        List<ByteBuf> frames = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ByteBuf frame = frame(i);
            frames.add(frame);
            store.append(EXPLORE, new StreamPosition(i, EPOCH), frame, T0);
            frame.release(); // the caller's own reference: the store took none
        }

        assertThat(frames).allSatisfy(f -> assertThat(f.refCnt()).isZero());
        assertThat(store.size()).isEqualTo(3);
        List<StoredMessage> kept = join(store.read(EXPLORE, 0, 10, false));
        assertThat(kept).extracting(StoredMessage::offset).containsExactly(3L, 4L, 5L);

        join(store.delete(EXPLORE));

        assertThat(store.size()).isZero();
        // What a read returned stays readable after the entries are gone.
        assertThat(kept.get(2).envelope().payload().get("n").asInt()).isEqualTo(5);
    }

    @Test
    void aStreamOfRunsOfEverySizeWrapsAndGrowsItsBufferWithoutCorruptingAnEntry() {
        HistoryStore store = store(50, Duration.ofHours(1));
        java.util.Random random = new java.util.Random(42);
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 600; i++) {
            // From a few bytes to 40 KiB, so that runs wrap around the buffer's end and force it to grow.
            String pad = "x".repeat(random.nextInt(i % 7 == 0 ? 40_000 : 300));
            String json = json(EXPLORE, i, EPOCH).replace("\"h\\u00e9llo", "\"" + pad + "h\\u00e9llo");
            written.add(json);
            ByteBuf frame = Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
            store.append(EXPLORE, new StreamPosition(i, EPOCH), frame, T0);
            frame.release();
            if (i % 37 == 0 || i == 600) {
                List<StoredMessage> kept = join(store.read(EXPLORE, 0, 100, false));
                assertThat(kept).hasSize(Math.min(i, 50));
                for (StoredMessage m : kept) {
                    assertThat(new String(m.json(), StandardCharsets.UTF_8)).isEqualTo(written.get((int) m.offset() - 1));
                }
            }
        }
        store.close();
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreDroppedOnTheNextAppend() {
        HistoryStore store = store(10, Duration.ofSeconds(60));
        ByteBuf old = frame(1);
        store.append(EXPLORE, new StreamPosition(1, EPOCH), old, T0);
        old.release();
        clock.advance(Duration.ofSeconds(61));
        ByteBuf fresh = frame(2);
        store.append(EXPLORE, new StreamPosition(2, EPOCH), fresh, clock.instant());
        fresh.release();

        assertThat(join(store.read(EXPLORE, 0, 10, false))).extracting(StoredMessage::offset).containsExactly(2L);
        assertThat(store.size()).isEqualTo(1);
        store.close();
        assertThat(store.size()).isZero();
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
}
