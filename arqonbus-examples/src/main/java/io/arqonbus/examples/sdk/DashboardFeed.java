package io.arqonbus.examples.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.ConnectionListener;
import io.arqonbus.client.RecoveryFailure;
import io.arqonbus.client.ReconnectPolicy;
import io.arqonbus.client.SubscriptionListener;
import io.arqonbus.examples.HostApp;
import io.arqonbus.protocol.Envelope;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A dashboard feed on the Java SDK that survives server restarts: it follows the host's
 * {@code dashboard:events} ({@link HostApp}); after a reconnect the SDK recovers the events it
 * missed by position, and when the server cannot ({@code recovered: false}, e.g. the gap is
 * longer than the history kept) the feed says so and, if the stream was not reset, reads what
 * history still holds ({@code history since}) so the dashboard shows no silent gap.
 *
 * <p>Run next to {@link HostApp}: {@code ./mvnw -q -pl arqonbus-examples exec:java
 * -Dexec.mainClass=io.arqonbus.examples.sdk.DashboardFeed -Dexec.args="ws://127.0.0.1:9100/"}.
 */
public final class DashboardFeed implements AutoCloseable {
    /** What the dashboard shows: an event, or a note that some were lost. */
    public sealed interface Item {
    }

    /** One host event with its offset. */
    public record Event(long offset, JsonNode payload) implements Item {
    }

    /** Events that could not be recovered (offsets {@code from} to {@code to}, inclusive). */
    public record Gap(long from, long to) implements Item {
    }

    private final ArqonBusClient client;

    private DashboardFeed(ArqonBusClient client) {
        this.client = client;
    }

    /**
     * Starts following; completes once connected.
     *
     * @param token  the token source (called before each connection; {@code () -> null} without auth)
     * @param states told of every connection state change
     * @param onItem gets every event, in offset order, and every gap
     */
    public static CompletableFuture<DashboardFeed> start(URI uri, Supplier<String> token, ConnectionListener states,
            Consumer<Item> onItem) {
        ArqonBusClient client = ArqonBusClient.builder(uri).token(token).onStateChange(states)
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5))).build();
        DashboardFeed feed = new DashboardFeed(client);
        client.subscribe(HostApp.ROOM, HostApp.EVENTS, new SubscriptionListener() {
            @Override
            public void onMessage(Envelope message) {
                onItem.accept(new Event(message.position().offset(), message.payload()));
            }

            @Override
            public void onRecoveryFailed(RecoveryFailure failure) {
                if (failure.epochChanged()) {
                    onItem.accept(new Gap(failure.lastSeen().offset() + 1, -1));
                    return;
                }
                feed.backfill(failure, onItem);
            }
        });
        return client.connect().thenApply(v -> feed);
    }

    /** Reads what history still holds of the gap; reports the part it no longer has. Runs on the listener's thread. */
    private void backfill(RecoveryFailure failure, Consumer<Item> onItem) {
        long from = failure.lastSeen().offset();
        long to = failure.channelPosition().offset();
        var args = JsonNodeFactory.instance.objectNode().put("room", HostApp.ROOM).put("channel", HostApp.EVENTS)
                .put("since", from).put("limit", 1000);
        JsonNode rows;
        try {
            rows = client.command("history", args).join().payload().path("data").path("history");
        } catch (RuntimeException e) {
            onItem.accept(new Gap(from + 1, to));
            return;
        }
        long first = rows.isEmpty() ? to + 1 : rows.get(0).path("metadata").path("offset").asLong();
        if (first > from + 1) {
            onItem.accept(new Gap(from + 1, first - 1));
        }
        for (JsonNode row : rows) {
            long offset = row.path("metadata").path("offset").asLong();
            if (offset <= to) {
                onItem.accept(new Event(offset, row.path("payload")));
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:9100/");
        try (DashboardFeed feed = start(uri, () -> null, e -> System.out.println("# " + e), System.out::println).join()) {
            new CountDownLatch(1).await();
        }
    }
}
