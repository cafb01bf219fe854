package io.arqonbus.cli.crash;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.bench.ledger.AckLedger;
import io.arqonbus.server.testing.TestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes messages 1 … {@code total} to one channel with {@code "ack":"durable"}, at most
 * {@code window} without an answer, each with the id {@code arq_crash_<seq>} as its
 * {@code metadata.idempotency_key} and the payload {@code {"bp":0,"bseq":<seq>}}. Every ack goes
 * into an {@link AckLedger}. When the connection breaks, it keeps what it had been told
 * ({@link Outcome#beforeCrash()}), reconnects to wherever {@code server} points now (null while
 * there is no server), sends every unanswered message again with the same id and key, then goes
 * on. Runs on its own thread until every message is acked or the deadline passes.
 */
final class RetryingPublisher implements Runnable {
    static final String ROOM = "crash";
    static final String CHANNEL = "acked";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What happened.
     *
     * @param ledger        every answer, after the retries
     * @param beforeCrash   the answers received before the first disconnect (null if there was none)
     * @param waitingAtCrash the messages sent but unanswered at the first disconnect (retried after it)
     * @param refusals      error frames received (each message refused is sent again)
     * @param reconnects    connections made after the first
     */
    record Outcome(AckLedger ledger, AckLedger beforeCrash, List<Long> waitingAtCrash, long refusals,
            int reconnects) {
    }

    private final int total;
    private final int window;
    private final Supplier<URI> server;
    private final long deadlineNanos;
    private final AckLedger ledger = new AckLedger();
    private final TreeSet<Long> waiting = new TreeSet<>();
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private volatile long acked;
    private AckLedger beforeCrash;
    private List<Long> waitingAtCrash = List.of();
    private long refusals;
    private int reconnects;

    RetryingPublisher(int total, int window, Supplier<URI> server, Duration limit) {
        this.total = total;
        this.window = window;
        this.server = server;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** Messages acked so far (any thread). */
    long acked() {
        return acked;
    }

    /** Completes when every message was acked, or exceptionally when the deadline passed first. */
    CompletableFuture<Outcome> done() {
        return done;
    }

    @Override
    public void run() {
        try {
            publish();
            done.complete(new Outcome(ledger, beforeCrash, waitingAtCrash, refusals, reconnects));
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
    }

    private void publish() {
        TestClient client = connect();
        try {
            long next = 1;
            while (ledger.acked() < total) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new AssertionError("only " + ledger.acked() + " of " + total + " messages acked by the deadline");
                }
                if (client.isClosed()) {
                    client.drain().forEach(this::answer); // refused ones stay waiting and are sent again below
                    if (beforeCrash == null) {
                        beforeCrash = ledger.copy();
                        waitingAtCrash = List.copyOf(waiting);
                    }
                    client = connect();
                    reconnects++;
                    for (long seq : waiting) {
                        send(client, seq);
                    }
                    continue;
                }
                while (waiting.size() < window && next <= total) {
                    waiting.add(next);
                    send(client, next++);
                }
                JsonNode frame = client.poll(Duration.ofMillis(50));
                long refused = frame == null ? -1 : answer(frame);
                if (refused > 0) {
                    send(client, refused);
                }
            }
        } finally {
            client.close();
        }
    }

    /**
     * Handles an ack or an error frame; returns the sequence number of a refused message, which
     * stays unanswered and must be sent again, or -1.
     */
    private long answer(JsonNode frame) {
        String type = frame.path("type").asText();
        if (!"ack".equals(type) && !"error".equals(type)) {
            return -1;
        }
        long seq = seqOf(frame.path("request_id").asText(""));
        if (seq < 1) {
            return -1;
        }
        if ("ack".equals(type)) {
            ledger.acked(seq, frame.path("payload").path("offset").asLong(), frame.path("payload").path("duplicate")
                    .asBoolean());
            waiting.remove(seq);
            acked = ledger.acked();
            return -1;
        }
        refusals++;
        if ("STORAGE_UNAVAILABLE".equals(frame.path("error_code").asText())) {
            ledger.refused(seq);
        }
        return seq;
    }

    private static long seqOf(String requestId) {
        if (!requestId.startsWith("arq_crash_")) {
            return -1;
        }
        try {
            return Long.parseLong(requestId.substring("arq_crash_".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void send(TestClient client, long seq) {
        String id = "arq_crash_" + seq;
        client.sendText("{\"type\":\"message\",\"id\":\"" + id + "\",\"room\":\"" + ROOM + "\",\"channel\":\"" + CHANNEL
                + "\",\"ack\":\"durable\",\"metadata\":{\"idempotency_key\":\"" + id + "\"},\"payload\":{\"bp\":0,\"bseq\":"
                + seq + "}}");
    }

    /** Connects to the current server, trying until the deadline (the server may be restarting). */
    private TestClient connect() {
        TestClient[] connected = new TestClient[1];
        long left = deadlineNanos - System.nanoTime();
        await().atMost(Duration.ofNanos(Math.max(1, left))).pollInterval(Duration.ofMillis(100)).until(() -> {
            URI uri = server.get();
            if (uri == null) {
                return false;
            }
            try {
                connected[0] = TestClient.connect(uri).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        return connected[0];
    }
}
