package io.arqonbus.bench.storm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the reconnect attempts of a storm, counted from every event loop: attempts,
 * refused TCP connects, refused handshakes by HTTP status, closes by WebSocket close code (before
 * and after the welcome), recoveries, and errors worth a sentence.
 */
final class StormTally {
    final LongAdder attempts = new LongAdder();
    final LongAdder connectRefused = new LongAdder();
    final LongAdder otherConnectFailures = new LongAdder();
    final LongAdder notRecovered = new LongAdder();
    final LongAdder rejoinErrors = new LongAdder();
    final LongAdder missed = new LongAdder();
    final LongAdder gaps = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    private final ConcurrentMap<Integer, LongAdder> droppedBy = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, LongAdder> handshakeRefused = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, LongAdder> closedBeforeWelcome = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, LongAdder> closedAfterWelcome = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> firstErrors = new ConcurrentHashMap<>();

    /** The connection a client had before the storm ended with {@code code} (1006: no close frame). */
    void dropped(int code) {
        droppedBy.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void handshakeRefused(int status) {
        handshakeRefused.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** A close frame (or 1006 for none) while connecting, or after the welcome. */
    void closed(int code, boolean afterWelcome) {
        (afterWelcome ? closedAfterWelcome : closedBeforeWelcome).computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Keeps the first example of each kind of error. */
    void example(String kind, String text) {
        if (firstErrors.size() < 20) {
            firstErrors.putIfAbsent(kind, text);
        }
    }

    Map<String, String> examples() {
        return new TreeMap<>(firstErrors);
    }

    /** Handshakes refused with anything but 1013 (or a refused TCP connect while the server is down). */
    long refusedOtherThan1013() {
        long sum = 0;
        for (LongAdder count : handshakeRefused.values()) {
            sum += count.sum();
        }
        for (Map.Entry<Integer, LongAdder> entry : closedBeforeWelcome.entrySet()) {
            if (entry.getKey() != 1013 && entry.getKey() != 1006) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    /** Closes after a welcome during the storm with a code that is not 1013. */
    long closedAfterWelcomeOtherThan1013() {
        long sum = 0;
        for (Map.Entry<Integer, LongAdder> entry : closedAfterWelcome.entrySet()) {
            if (entry.getKey() != 1013) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    void write(ObjectNode json) {
        put(json.putObject("dropped_by_code"), droppedBy);
        json.put("attempts", attempts.sum());
        json.put("connect_refused", connectRefused.sum());
        json.put("connect_failed_other", otherConnectFailures.sum());
        put(json.putObject("handshake_refused_by_status"), handshakeRefused);
        put(json.putObject("closed_before_welcome_by_code"), closedBeforeWelcome);
        put(json.putObject("closed_after_welcome_by_code"), closedAfterWelcome);
        json.put("not_recovered", notRecovered.sum());
        json.put("rejoin_errors", rejoinErrors.sum());
        json.put("missed", missed.sum());
        json.put("gaps", gaps.sum());
        json.put("duplicates", duplicates.sum());
    }

    private static void put(ObjectNode node, Map<Integer, LongAdder> counts) {
        new TreeMap<>(counts).forEach((code, count) -> node.put(Integer.toString(code), count.sum()));
    }
}
