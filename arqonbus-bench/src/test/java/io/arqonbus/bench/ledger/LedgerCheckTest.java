package io.arqonbus.bench.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison of acks with a channel's history, and the ledger's bookkeeping. */
class LedgerCheckTest {
    private static ChannelHistory.Entry entry(long offset, long publisher, long seq) {
        return new ChannelHistory.Entry(offset, "e1", "arq_m_" + publisher + "_" + seq, publisher, seq);
    }

    private static AckLedger acked(long... offsets) {
        AckLedger ledger = new AckLedger();
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] > 0) {
                ledger.acked(i + 1, offsets[i], false);
            }
        }
        return ledger;
    }

    @Test
    void everyAckedMessageOnceInOrderIsOk() {
        LedgerCheck.Result result = LedgerCheck.check(Map.of(0, acked(1, 3), 1, acked(2)),
                List.of(entry(1, 0, 1), entry(2, 1, 1), entry(3, 0, 2)));

        assertThat(result.ok()).as(result.problems().toString()).isTrue();
        assertThat(result.acked()).isEqualTo(3);
        assertThat(result.present()).isEqualTo(3);
        assertThat(result.entries()).isEqualTo(3);
    }

    @Test
    void unackedMessagesMayBeStoredOnce() {
        LedgerCheck.Result result = LedgerCheck.check(Map.of(0, acked(1)), List.of(entry(1, 0, 1), entry(2, 0, 2)));

        assertThat(result.ok()).isTrue();
        assertThat(result.unackedStored()).isEqualTo(1);
    }

    @Test
    void findsMissingMisplacedDuplicatedAndReorderedMessages() {
        LedgerCheck.Result missing = LedgerCheck.check(Map.of(0, acked(1, 2)), List.of(entry(1, 0, 1)));
        assertThat(missing.missing()).isEqualTo(1);
        assertThat(missing.problems()).anyMatch(p -> p.contains("message 2 was acked at offset 2 but is not in the history"));

        LedgerCheck.Result misplaced = LedgerCheck.check(Map.of(0, acked(1, 2)), List.of(entry(1, 0, 1), entry(3, 0, 2)));
        assertThat(misplaced.offsetMismatches()).isEqualTo(1);

        LedgerCheck.Result twice = LedgerCheck.check(Map.of(0, acked(1, 2, 0)),
                List.of(entry(1, 0, 1), entry(2, 0, 2), entry(3, 0, 3), entry(4, 0, 3)));
        assertThat(twice.storedTwice()).isEqualTo(1);
        assertThat(twice.ackedTwice()).isZero();
        assertThat(twice.ok()).isFalse();

        LedgerCheck.Result reordered = LedgerCheck.check(Map.of(0, acked(2, 1)), List.of(entry(1, 0, 2), entry(2, 0, 1)));
        assertThat(reordered.outOfOrder()).isEqualTo(1);
        assertThat(reordered.ok()).isFalse();

        LedgerCheck.Result foreign = LedgerCheck.check(Map.of(0, acked(1)), List.of(entry(1, 0, 1), entry(2, 7, 1)));
        assertThat(foreign.foreign()).isEqualTo(1);
        assertThat(foreign.ok()).isTrue();
    }

    @Test
    void theLedgerCountsEachMessageOnceWhateverItWasTold() {
        AckLedger ledger = new AckLedger();
        ledger.refused(3);
        ledger.acked(3, 7, false);
        ledger.acked(3, 7, true);
        ledger.acked(5000, 9, false);

        assertThat(ledger.acked()).isEqualTo(2);
        assertThat(ledger.refused()).isZero();
        assertThat(ledger.duplicateFlags()).isEqualTo(1);
        assertThat(ledger.repeatedAnswers()).isEqualTo(2);
        assertThat(ledger.offsetOf(3)).isEqualTo(7);
        assertThat(ledger.offsetOf(4)).isZero();
        assertThat(ledger.highestAnswered()).isEqualTo(5000);
        AckLedger copy = ledger.copy();
        ledger.acked(6000, 10, false);
        assertThat(copy.acked()).isEqualTo(2);
        assertThat(copy.offsetOf(6000)).isZero();
    }
}
