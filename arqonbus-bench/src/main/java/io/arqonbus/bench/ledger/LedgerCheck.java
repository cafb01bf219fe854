package io.arqonbus.bench.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what publishers were acked ({@link AckLedger}s) with what a channel's history holds
 * ({@link ChannelHistory.Entry}s, oldest first). Messages are identified by their payload's
 * {@code bp} (publisher) and {@code bseq} (sequence number).
 *
 * <p>The guarantee checked: every acked message is present, at the offset its ack named, exactly
 * once, and each publisher's messages are stored in the order they were published. Messages sent
 * but never acked may be present or not, but never twice.
 */
public final class LedgerCheck {
    private static final int MAX_PROBLEMS = 10;

    /**
     * The outcome.
     *
     * @param acked            acked messages (over all publishers given)
     * @param present          acked messages found in the history
     * @param missing          acked messages not found
     * @param offsetMismatches acked messages found, but not at the offset their ack named
     * @param ackedTwice       acked messages stored more than once
     * @param storedTwice      extra copies of any message (entries − distinct messages)
     * @param outOfOrder       messages stored after a later message of the same publisher
     * @param unackedStored    messages stored but never acked (sent without an answer, or refused)
     * @param foreign          entries without bench markers or from a publisher not checked
     * @param entries          history entries read
     * @param problems         the first few problems as sentences
     */
    public record Result(long acked, long present, long missing, long offsetMismatches, long ackedTwice,
            long storedTwice, long outOfOrder, long unackedStored, long foreign, long entries, List<String> problems) {

        /** Whether the guarantee holds: nothing acked is missing, misplaced or twice; nothing stored twice or out of order. */
        public boolean ok() {
            return missing == 0 && offsetMismatches == 0 && ackedTwice == 0 && storedTwice == 0 && outOfOrder == 0;
        }
    }

    private LedgerCheck() {
    }

    /**
     * @param ledgers the acks of each publisher, by publisher index ({@code bp})
     * @param entries the channel's history, oldest first
     */
    public static Result check(Map<Integer, AckLedger> ledgers, List<ChannelHistory.Entry> entries) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Map<Long, Integer>> copies = new HashMap<>();
        Map<Integer, Long> lastSeq = new HashMap<>();
        long foreign = 0;
        long storedTwice = 0;
        long outOfOrder = 0;
        long offsetMismatches = 0;
        for (ChannelHistory.Entry entry : entries) {
            AckLedger ledger = entry.publisher() < 0 || entry.publisher() > Integer.MAX_VALUE ? null
                    : ledgers.get((int) entry.publisher());
            if (ledger == null || entry.seq() < 1) {
                foreign++;
                note(problems, "offset " + entry.offset() + " holds a message of no checked publisher ("
                        + entry.messageId() + ")");
                continue;
            }
            int publisher = (int) entry.publisher();
            int seen = copies.computeIfAbsent(publisher, p -> new HashMap<>()).merge(entry.seq(), 1, Integer::sum);
            if (seen > 1) {
                storedTwice++;
                note(problems, "publisher " + publisher + " message " + entry.seq() + " is stored again at offset "
                        + entry.offset());
                continue;
            }
            long last = lastSeq.getOrDefault(publisher, 0L);
            if (entry.seq() < last) {
                outOfOrder++;
                note(problems, "publisher " + publisher + " message " + entry.seq() + " is stored at offset "
                        + entry.offset() + ", after its message " + last);
            } else {
                lastSeq.put(publisher, entry.seq());
            }
            long ackedAt = ledger.offsetOf(entry.seq());
            if (ackedAt > 0 && ackedAt != entry.offset()) {
                offsetMismatches++;
                note(problems, "publisher " + publisher + " message " + entry.seq() + " was acked at offset " + ackedAt
                        + " but is stored at offset " + entry.offset());
            }
        }
        long acked = 0;
        long present = 0;
        long ackedTwice = 0;
        long unackedStored = 0;
        for (Map.Entry<Integer, AckLedger> e : ledgers.entrySet()) {
            AckLedger ledger = e.getValue();
            Map<Long, Integer> stored = copies.getOrDefault(e.getKey(), Map.of());
            acked += ledger.acked();
            for (long seq = 1; seq <= ledger.highestAnswered(); seq++) {
                if (ledger.offsetOf(seq) == 0) {
                    continue;
                }
                int count = stored.getOrDefault(seq, 0);
                if (count == 0) {
                    note(problems, "publisher " + e.getKey() + " message " + seq + " was acked at offset "
                            + ledger.offsetOf(seq) + " but is not in the history");
                } else {
                    present++;
                    if (count > 1) {
                        ackedTwice++;
                    }
                }
            }
            for (Long seq : stored.keySet()) {
                if (ledger.offsetOf(seq) == 0) {
                    unackedStored++;
                }
            }
        }
        return new Result(acked, present, acked - present, offsetMismatches, ackedTwice, storedTwice, outOfOrder,
                unackedStored, foreign, entries.size(), List.copyOf(problems));
    }

    private static void note(List<String> problems, String sentence) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(sentence);
        }
    }
}
