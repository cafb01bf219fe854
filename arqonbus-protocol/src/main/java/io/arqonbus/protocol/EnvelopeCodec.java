package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * Decodes client frames into {@link Inbound} values and encodes envelopes to JSON.
 *
 * <p>Decoding happens once, at the edge: past this class the server only sees records. One
 * instance is shared by the whole server and is safe for concurrent use.
 */
public final class EnvelopeCodec {
    private final ObjectMapper mapper;
    private final EnvelopeValidator validator;

    public EnvelopeCodec(IdGenerator ids, Clock clock) {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.validator = new EnvelopeValidator(ids, clock);
    }

    /** The Jackson mapper this codec uses (for building payload trees). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Decodes one text frame given as UTF-8 bytes. */
    public Inbound decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes one text frame given as UTF-8 bytes {@code frame[offset, offset + length)}. Never
     * throws for bad input: bad input is an {@link Inbound.Invalid}.
     *
     * <p>A frame is read field by field with a streaming parser: only the values of the
     * top-level fields the validator reads are kept (small trees for {@code args} and
     * {@code metadata}; the {@code payload} object as its text, its tree made on first use), with no
     * tree for the frame as a whole. A frame that is
     * not one well-formed JSON object is decoded again as a tree by
     * {@link #decodeTree(byte[], int, int)}, which words the refusal.
     */
    public Inbound decode(byte[] frame, int offset, int length) {
        try (JsonParser parser = mapper.getFactory().createParser(frame, offset, length)) {
            FrameFields fields = FrameFields.read(parser, frame, offset, mapper.getFactory());
            if (fields != null) {
                return validator.validate(fields);
            }
        } catch (IOException e) {
            // Refused below, in the tree decoder's words.
        }
        return decodeTree(frame, offset, length);
    }

    /** Decodes one text frame given as a string. */
    public Inbound decode(String frame) {
        try (JsonParser parser = mapper.getFactory().createParser(frame)) {
            FrameFields fields = FrameFields.read(parser, null, 0, mapper.getFactory());
            if (fields != null) {
                return validator.validate(fields);
            }
        } catch (IOException e) {
            // Refused below, in the tree decoder's words.
        }
        return decodeTree(frame);
    }

    /** {@link #decodeTree(byte[], int, int)} for a frame given as a string. */
    Inbound decodeTree(String frame) {
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            return invalidJson(InvalidJson.sentence(e, mapper.getFactory().streamReadConstraints(), null, 0, 0, frame));
        }
        return decodeRoot(root);
    }

    /**
     * Decodes one text frame as a whole JSON tree first: the decoder before the streaming one,
     * kept for refusals (its error sentences are the documented ones, {@link InvalidJson}: never
     * the parser's own message) and as the reference the streaming decoder is tested against.
     */
    Inbound decodeTree(byte[] frame, int offset, int length) {
        JsonNode root;
        try {
            root = mapper.readTree(frame, offset, length);
        } catch (IOException e) {
            return invalidJson(InvalidJson.sentence(e, mapper.getFactory().streamReadConstraints(), frame, offset,
                    length, null));
        }
        return decodeRoot(root);
    }

    private Inbound decodeRoot(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            return invalidJson("Invalid JSON: the frame is empty");
        }
        if (!root.isObject()) {
            return invalidJson("Invalid JSON: the frame must be a JSON object, not " + kind(root));
        }
        return validator.validate(FrameFields.of((ObjectNode) root));
    }

    private static Inbound invalidJson(String sentence) {
        return new Inbound.Invalid(ErrorCode.INVALID_JSON, sentence, List.of(sentence), null);
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT, POJO -> "an object";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Reads back an envelope this server encoded itself (history kept as bytes): no client rules
     * apply, the sender is kept, and {@code metadata.offset}/{@code metadata.epoch} become the
     * stream position again.
     *
     * @throws UncheckedIOException when the bytes are not such an envelope
     */
    public Envelope decodeStored(byte[] json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new UncheckedIOException(new IOException("a stored envelope must be a JSON object"));
        }
        ObjectNode metadata = root.get("metadata") instanceof ObjectNode m ? m : null;
        StreamPosition position = null;
        if (metadata != null && metadata.path("offset").canConvertToLong() && metadata.path("epoch").isTextual()) {
            position = new StreamPosition(metadata.get("offset").asLong(), metadata.get("epoch").asText());
            metadata.remove("offset");
            metadata.remove("epoch");
        }
        List<String> to = null;
        if (root.get("to") instanceof com.fasterxml.jackson.databind.node.ArrayNode targets) {
            to = new java.util.ArrayList<>(targets.size());
            for (JsonNode target : targets) {
                to.add(target.asText());
            }
        }
        return new Envelope(root.path("id").asText(), root.path("timestamp").asText(),
                MessageType.fromWireName(root.path("type").asText()), textOrNull(root, "version"),
                root.get("payload") instanceof ObjectNode p ? p : null,
                root.get("args") instanceof ObjectNode a ? a : null, metadata,
                textOrNull(root, "room"), textOrNull(root, "channel"), textOrNull(root, "sender"),
                textOrNull(root, "command"), textOrNull(root, "request_id"), textOrNull(root, "status"),
                textOrNull(root, "error"), textOrNull(root, "error_code"), to, textOrNull(root, "ack"), position, null);
    }

    private static String textOrNull(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Writes an envelope as one JSON object. */
    public void encode(Envelope envelope, OutputStream out) {
        try {
            written(envelope).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer of envelopes into a buffer it reuses, for one thread; see {@link EnvelopeWriter}. */
    public EnvelopeWriter newWriter() {
        return new EnvelopeWriter(mapper);
    }

    /** A fresh writer holding the envelope (the one-off paths; the server's hot path keeps a writer per thread). */
    private EnvelopeWriter written(Envelope envelope) {
        EnvelopeWriter writer = newWriter();
        writer.write(envelope);
        return writer;
    }

    /** The envelope as UTF-8 JSON bytes. */
    public byte[] encodeToBytes(Envelope envelope) {
        return written(envelope).toByteArray();
    }

    /** The envelope as a JSON string. */
    public String encodeToString(Envelope envelope) {
        EnvelopeWriter writer = written(envelope);
        return new String(writer.array(), 0, writer.length(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The envelope as a JSON tree, for embedding inside another payload (history entries): its encoding read back. */
    public ObjectNode toTree(Envelope envelope) {
        EnvelopeWriter writer = written(envelope);
        try (JsonParser parser = mapper.getFactory().createParser(writer.array(), 0, writer.length())) {
            parser.nextToken();
            return (ObjectNode) JsonTrees.read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes any JSON tree (for frames that are not envelopes, such as telemetry). */
    public byte[] writeTree(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
