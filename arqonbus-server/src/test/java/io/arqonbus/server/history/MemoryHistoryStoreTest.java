package io.arqonbus.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.hub.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring keeps references to delivered bytes and gives each back as soon as it is trimmed. */
class MemoryHistoryStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final ChannelKey KEY = ChannelKey.of("science", "explore");

    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);

    private static ByteBuf frame(int offset) {
        String json = "{\"id\":\"arq_m" + offset + "\",\"timestamp\":\"2026-12-01T06:00:00.000Z\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":{\"n\":" + offset + "},\"args\":{},"
                + "\"metadata\":{\"offset\":" + offset + ",\"epoch\":\"e1\"},\"room\":\"science\","
                + "\"channel\":\"explore\",\"sender\":\"arq_client_x\"}";
        return Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void trimmedEntriesAreReleasedAndReadsAreIndependentCopies() {
        MemoryHistoryStore store = new MemoryHistoryStore(3, Duration.ofHours(1), clock, codec);
        List<ByteBuf> frames = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ByteBuf frame = frame(i);
            frames.add(frame);
            store.append(KEY, frame, T0);
            frame.release(); // the caller's own reference
        }

        assertThat(frames.subList(0, 2)).allSatisfy(f -> assertThat(f.refCnt()).isZero());
        assertThat(frames.subList(2, 5)).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(1));
        List<StoredMessage> latest = store.latest(KEY, 10);
        assertThat(latest).extracting(m -> m.envelope().position().offset()).containsExactly(3L, 4L, 5L);
        assertThat(latest.get(0).envelope().sender()).isEqualTo("arq_client_x");
        assertThat(latest.get(0).envelope().metadata().has("offset")).isFalse();
        assertThat(store.size()).isEqualTo(3);

        store.delete(KEY);

        assertThat(frames).allSatisfy(f -> assertThat(f.refCnt()).isZero());
        assertThat(store.size()).isZero();
        // What a read returned stays readable after the entries are gone.
        assertThat(latest.get(2).envelope().payload().get("n").asInt()).isEqualTo(5);
    }

    @Test
    void closeReleasesEveryStreamAndAStoreThatKeepsNothingTakesNoReference() {
        MemoryHistoryStore store = new MemoryHistoryStore(10, Duration.ofHours(1), clock, codec);
        ByteBuf a = frame(1);
        ByteBuf b = frame(2);
        store.append(KEY, a, T0);
        store.append(ChannelKey.of("science", "share"), b, T0);
        store.close();
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(b.refCnt()).isEqualTo(1);

        MemoryHistoryStore none = new MemoryHistoryStore(0, Duration.ofHours(1), clock, codec);
        none.append(KEY, a, T0);
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(none.size()).isZero();
        a.release();
        b.release();
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreReleasedOnTheNextAppend() {
        Instant[] now = {T0};
        Clock moving = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        MemoryHistoryStore store = new MemoryHistoryStore(10, Duration.ofSeconds(60), moving, codec);
        ByteBuf old = frame(1);
        store.append(KEY, old, T0);
        old.release();
        now[0] = T0.plusSeconds(61);
        ByteBuf fresh = frame(2);
        store.append(KEY, fresh, now[0]);
        fresh.release();

        assertThat(old.refCnt()).isZero();
        assertThat(store.latest(KEY, 10)).hasSize(1);
        store.close();
        assertThat(fresh.refCnt()).isZero();
    }
}
