package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.protocol.Timestamps;
import java.util.List;

/** The two JSON shapes of history entries: the built-in {@code history}'s and the operators' ({@code history.get}). */
public final class HistoryEntries {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HistoryEntries() {
    }

    /** What one reply carries: the messages kept, and whether some were left out for size. */
    public record Bounded(List<StoredMessage> messages, boolean truncated) {
    }

    /**
     * Keeps as many messages as fit in {@code maxBytes} of stored JSON, counted from the end of the
     * list ({@code fromEnd}: the newest of an oldest-first list) or from its start; at least one
     * message is kept however large, so a reader can always make progress.
     */
    public static Bounded bounded(List<StoredMessage> messages, long maxBytes, boolean fromEnd) {
        long bytes = 0;
        int keep = 0;
        for (int i = 0; i < messages.size(); i++) {
            StoredMessage m = messages.get(fromEnd ? messages.size() - 1 - i : i);
            bytes += m.json().length;
            if (bytes > maxBytes && keep > 0) {
                break;
            }
            keep++;
        }
        if (keep == messages.size()) {
            return new Bounded(messages, false);
        }
        List<StoredMessage> kept = fromEnd ? messages.subList(messages.size() - keep, messages.size())
                : messages.subList(0, keep);
        return new Bounded(kept, true);
    }

    /**
     * {@code {message_id, type, sender, room, channel, payload, metadata, timestamp, stored_at}}
     * for each message, in the given order; {@code metadata} carries {@code offset} and
     * {@code epoch} for channel publications.
     */
    public static ArrayNode builtin(List<StoredMessage> messages) {
        ArrayNode out = JSON.arrayNode();
        for (StoredMessage stored : messages) {
            Envelope e = stored.envelope();
            ObjectNode row = out.addObject();
            row.put("message_id", e.id());
            row.put("type", e.type().wireName());
            row.put("sender", e.sender());
            row.put("room", e.room());
            row.put("channel", e.channel());
            row.set("payload", e.payload());
            row.set("metadata", metadata(e));
            row.put("timestamp", e.timestamp());
            row.put("stored_at", Timestamps.format(stored.storedAt()));
        }
        return out;
    }

    /**
     * {@code {envelope, stored_at, storage_metadata{backend, room, channel, offset, epoch}}} for
     * each message, in the given order; {@code envelope} is the envelope as it was delivered.
     */
    static ArrayNode operator(List<StoredMessage> messages, EnvelopeCodec codec, String backend) {
        ArrayNode out = JSON.arrayNode();
        for (StoredMessage stored : messages) {
            Envelope e = stored.envelope();
            ObjectNode row = out.addObject();
            row.set("envelope", codec.toTree(e));
            row.put("stored_at", Timestamps.format(stored.storedAt()));
            ObjectNode storage = row.putObject("storage_metadata");
            storage.put("backend", backend);
            storage.put("room", e.room());
            storage.put("channel", e.channel());
            StreamPosition position = e.position();
            if (position != null) {
                storage.put("offset", position.offset());
                storage.put("epoch", position.epoch());
            } else {
                storage.putNull("offset");
                storage.putNull("epoch");
            }
        }
        return out;
    }

    /** The envelope's metadata with its stream position written in, as it went on the wire. */
    private static ObjectNode metadata(Envelope e) {
        StreamPosition position = e.position();
        if (position == null) {
            return e.metadata();
        }
        ObjectNode copy = e.metadata().deepCopy();
        copy.put("offset", position.offset());
        copy.put("epoch", position.epoch());
        return copy;
    }
}
