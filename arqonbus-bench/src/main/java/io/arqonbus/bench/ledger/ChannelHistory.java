package io.arqonbus.bench.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Reads a channel's stored publications by offset: {@code history {room, channel, since, limit}}
 * page after page (each page starts after the last offset of the one before), oldest first.
 */
public final class ChannelHistory {
    /** Entries asked for per request: the server's default {@code max_history_limit}. */
    public static final int PAGE = 1000;

    /**
     * One stored publication: its position, message id, and the bench markers of its payload
     * ({@code bp}, {@code bseq}; -1 when absent).
     */
    public record Entry(long offset, String epoch, String messageId, long publisher, long seq) {
    }

    private ChannelHistory() {
    }

    /**
     * Every entry after {@code afterOffset} (0 = from the start), oldest first, at most
     * {@code maxEntries}; each request may take {@code timeout}.
     *
     * @param history sends one {@code history} command with these args and completes with the
     *                server's {@code response} as a JSON tree (the SDK:
     *                {@code args -> client.command("history", args).thenApply(ChannelHistory::tree)})
     *
     * @throws IllegalStateException when the server refuses a request or the offsets do not advance
     */
    public static List<Entry> read(Function<ObjectNode, CompletableFuture<? extends JsonNode>> history, String room, String channel, long afterOffset,
            int maxEntries, Duration timeout) throws InterruptedException, TimeoutException {
        List<Entry> entries = new ArrayList<>();
        long since = afterOffset;
        int pages = maxEntries / PAGE + 2;
        for (int page = 0; page < pages && entries.size() < maxEntries; page++) {
            ObjectNode args = JsonNodeFactory.instance.objectNode();
            args.put("room", room);
            args.put("channel", channel);
            args.put("since", since);
            args.put("limit", PAGE);
            JsonNode reply;
            try {
                reply = history.apply(args).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("history of " + room + ":" + channel + " failed: " + e.getCause(), e);
            }
            if (!"success".equals(reply.path("status").asText())) {
                throw new IllegalStateException("history of " + room + ":" + channel + " since " + since
                        + " refused: " + reply.path("payload").path("message").asText(reply.toString()));
            }
            JsonNode rows = reply.path("payload").path("data").path("history");
            for (JsonNode row : rows) {
                long offset = row.path("metadata").path("offset").asLong(-1);
                if (offset <= since) {
                    throw new IllegalStateException("history since " + since + " returned offset " + offset);
                }
                entries.add(new Entry(offset, row.path("metadata").path("epoch").asText(null),
                        row.path("message_id").asText(null), number(row.path("payload"), "bp"),
                        number(row.path("payload"), "bseq")));
                since = offset;
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        return entries;
    }

    /** A reply of the SDK as the JSON tree {@link #read} reads ({@code status}, {@code payload}). */
    public static JsonNode tree(io.arqonbus.protocol.Envelope reply) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("status", reply.status());
        tree.set("payload", reply.payload());
        return tree;
    }

    private static long number(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : -1;
    }
}
