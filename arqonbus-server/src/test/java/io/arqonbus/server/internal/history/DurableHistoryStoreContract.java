package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.StreamPosition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a store that survives a restart does on top of {@link HistoryStoreContract}. */
public abstract class DurableHistoryStoreContract extends HistoryStoreContract {

    /**
     * A new store instance over the data of the last one {@link #create} made (a restart); not yet
     * opened.
     */
    protected abstract HistoryStore reopen(int maxPerStream, Duration maxAge);

    private HistoryStore restart(HistoryStore before) {
        before.close();
        return track(reopen(100, Duration.ofHours(1)));
    }

    @Test
    void saysItIsDurable() {
        assertThat(store().durable()).isTrue();
    }

    @Test
    void aRestartKeepsEveryConfirmedEntryAndEveryStreamsPosition() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 50);
        append(store, SHARE, 7, "e2", T0);

        HistoryStore again = restart(store);
        Map<io.arqonbus.server.internal.channel.ChannelKey, StreamPosition> heads = again.open();

        assertThat(heads).containsEntry(EXPLORE, new StreamPosition(50, EPOCH))
                .containsEntry(SHARE, new StreamPosition(7, "e2"))
                .hasSize(2);
        assertThat(offsets(join(again.read(EXPLORE, 45, 100, false)))).containsExactly(46L, 47L, 48L, 49L, 50L);
        assertThat(new String(join(again.read(SHARE, 0, 1, false)).get(0).json(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json(SHARE, 7, "e2"));
        appendRange(again, EXPLORE, 51, 52);
        assertThat(offsets(join(again.read(EXPLORE, 49, 100, false)))).containsExactly(50L, 51L, 52L);
    }

    @Test
    void aStreamTrimmedToNothingKeepsItsPositionAcrossARestart() {
        HistoryStore store = store(100, Duration.ofSeconds(10));
        appendRange(store, EXPLORE, 1, 3);
        clock.advance(Duration.ofMinutes(1));
        assertThat(join(store.read(EXPLORE, 0, 10, false))).isEmpty();

        HistoryStore again = restart(store);
        assertThat(again.open()).containsEntry(EXPLORE, new StreamPosition(3, EPOCH));
    }

    @Test
    void aDeletedStreamIsGoneAfterARestart() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 3);
        appendRange(store, SHARE, 1, 1);
        join(store.delete(EXPLORE));

        HistoryStore again = restart(store);
        assertThat(again.open()).containsOnlyKeys(SHARE);
        assertThat(join(again.read(EXPLORE, 0, 10, false))).isEmpty();
    }
}
