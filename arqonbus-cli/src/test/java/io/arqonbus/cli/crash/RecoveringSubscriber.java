package io.arqonbus.cli.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A member of {@code crash:acked} that records every publication it receives (sequence number and
 * offset). When its connection breaks (its node was killed) it connects to wherever {@code server}
 * points now and joins again with {@code recover} set to the last position it saw; a join that says
 * {@code recovered:false} is recorded. Runs on its own thread until {@link #stop} or the deadline.
 */
final class RecoveringSubscriber implements Runnable {
    private final Supplier<URI> server;
    private final long deadlineNanos;
    private final List<long[]> received = new ArrayList<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile int seen;
    private int reconnects;
    private int unrecovered;
    private long lastOffset = -1;
    private String epoch;

    RecoveringSubscriber(Supplier<URI> server, Duration limit) {
        this.server = server;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** Completes once the first join was answered. */
    CompletableFuture<Void> joined() {
        return joined;
    }

    /** Publications received so far (any thread). */
    int seen() {
        return seen;
    }

    void stop() {
        stopped = true;
    }

    /** The publications received: {sequence number, offset} each, in arrival order. Call after the thread ended. */
    List<long[]> received() {
        return received;
    }

    int reconnects() {
        return reconnects;
    }

    int unrecovered() {
        return unrecovered;
    }

    @Override
    public void run() {
        while (!stopped && System.nanoTime() < deadlineNanos) {
            TestClient client;
            try {
                client = TestClient.connect(server.get()).get(5, TimeUnit.SECONDS);
                ObjectNode args = TestClient.object();
                args.put("room", RetryingPublisher.ROOM);
                args.put("channel", RetryingPublisher.CHANNEL);
                if (epoch != null) {
                    args.putObject("recover").put("offset", lastOffset).put("epoch", epoch);
                }
                JsonNode reply = client.command("join_channel", args).get(10, TimeUnit.SECONDS);
                JsonNode data = reply.path("payload").path("data");
                if (epoch == null) {
                    lastOffset = data.path("offset").asLong();
                    epoch = data.path("epoch").asText();
                } else {
                    reconnects++;
                    if (!data.path("recovered").asBoolean()) {
                        unrecovered++;
                    }
                }
                joined.complete(null);
            } catch (Exception e) {
                pause();
                continue;
            }
            read(client);
            client.abort();
        }
    }

    private void read(TestClient client) {
        while (!stopped && !client.isClosed() && System.nanoTime() < deadlineNanos) {
            JsonNode frame = client.poll(Duration.ofMillis(200));
            if (frame != null && "message".equals(frame.path("type").asText())
                    && RetryingPublisher.CHANNEL.equals(frame.path("channel").asText())) {
                long offset = frame.path("metadata").path("offset").asLong();
                received.add(new long[] {frame.path("payload").path("bseq").asLong(), offset});
                lastOffset = offset;
                epoch = frame.path("metadata").path("epoch").asText(epoch);
                seen = received.size();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
