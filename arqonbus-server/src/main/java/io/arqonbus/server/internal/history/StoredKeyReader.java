package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;

/**
 * Reads only the idempotency key and the stream position of a stored envelope's JSON, with a
 * streaming parser that passes over everything else ({@code payload} and the other fields are
 * skipped token by token, never built into trees): what a restart needs from each stored publication,
 * at a fraction of the cost of decoding it. Gives what {@link StoredIdempotencyKey#of} gives for the
 * same bytes: the last {@code metadata} object and, in it, the last {@code idempotency_key} string,
 * {@code offset} (a number that fits a long) and {@code epoch} (a string).
 */
final class StoredKeyReader {
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonFactory json;

    StoredKeyReader(JsonFactory json) {
        this.json = json;
    }

    /**
     * The key of the envelope in {@code value[from, value.length)}, or {@code null} when it has none.
     *
     * @throws UncheckedIOException when the bytes are not one JSON object
     */
    StoredIdempotencyKey read(byte[] value, int from, Instant storedAt) {
        try (JsonParser parser = json.createParser(value, from, value.length - from)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a stored envelope must be a JSON object");
            }
            Metadata metadata = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isMetadata = "metadata".equals(parser.currentName());
                JsonToken token = parser.nextToken();
                if (isMetadata) {
                    metadata = token == JsonToken.START_OBJECT ? metadata(parser) : null;
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IOException("trailing tokens after the stored envelope");
            }
            if (metadata == null || metadata.key == null) {
                return null;
            }
            StreamPosition position = metadata.offset != null && metadata.epoch != null
                    ? new StreamPosition(metadata.offset, metadata.epoch) : null;
            return new StoredIdempotencyKey(metadata.key, position, storedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields read from one {@code metadata} object; the parser is at its start, left at its end. */
    private static Metadata metadata(JsonParser parser) throws IOException {
        Metadata m = new Metadata();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case Envelope.IDEMPOTENCY_KEY -> m.key = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "epoch" -> m.epoch = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "offset" -> m.offset = asLong(parser, token);
                default -> parser.skipChildren();
            }
        }
        return m;
    }

    /** The number as a long when it fits one (a fraction is cut, as {@code JsonNode.asLong} does), else {@code null}. */
    private static Long asLong(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger big = parser.getBigIntegerValue();
                return big.compareTo(MIN_LONG) >= 0 && big.compareTo(MAX_LONG) <= 0 ? big.longValue() : null;
            }
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = parser.getDoubleValue();
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? (long) d : null;
        }
        parser.skipChildren();
        return null;
    }

    private static final class Metadata {
        private String key;
        private Long offset;
        private String epoch;
    }
}
