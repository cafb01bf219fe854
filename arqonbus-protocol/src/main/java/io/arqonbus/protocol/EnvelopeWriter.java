package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes an envelope as one compact JSON object into a buffer of its own, which it reuses from
 * envelope to envelope: the server encodes every publication and every acknowledgement, and a
 * general-purpose generator (a state check per value, a field-name check per field) cost a fifth
 * of its CPU there. The envelope's skeleton is written here byte by byte, in the field order of
 * the original ArqonBus: constant field names are copied, strings of printable ASCII without
 * {@code "} or {@code \} are copied as they are, a payload a client sent is copied from its text
 * ({@link ReceivedJson}), empty objects are {@code {}}, and a stream position is written by hand.
 * What needs escaping or a tree walk — other strings, non-empty trees — goes through one
 * long-lived Jackson generator writing into the same buffer, so the output is exactly what
 * Jackson writes for those values.
 *
 * <p>Confined to one thread. After a failure the generator is dropped and the next envelope
 * starts on a fresh one. A buffer grown past 64 KiB by a large envelope is let go at the next.
 */
public final class EnvelopeWriter {
    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[][] TYPE = new byte[MessageType.values().length][];
    private static final byte[] VERSION = ascii(",\"version\":");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");
    private static final byte[] ARGS = ascii(",\"args\":");
    private static final byte[] METADATA = ascii(",\"metadata\":");
    private static final byte[] OFFSET = ascii("\"offset\":");
    private static final byte[] EPOCH = ascii(",\"epoch\":");
    private static final byte[] ROOM = ascii(",\"room\":");
    private static final byte[] CHANNEL = ascii(",\"channel\":");
    private static final byte[] SENDER = ascii(",\"sender\":");
    private static final byte[] COMMAND = ascii(",\"command\":");
    private static final byte[] REQUEST_ID = ascii(",\"request_id\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] ERROR = ascii(",\"error\":");
    private static final byte[] ERROR_CODE = ascii(",\"error_code\":");
    private static final byte[] TO = ascii(",\"to\":[");
    private static final byte[] ACK = ascii(",\"ack\":");
    private static final byte[] EMPTY_OBJECT = ascii("{}");

    static {
        for (MessageType type : MessageType.values()) {
            TYPE[type.ordinal()] = ascii(",\"type\":\"" + type.wireName() + '"');
        }
    }

    /** The buffer's size to start with and to return to after a larger envelope. */
    private static final int INITIAL_SIZE = 1024;
    /** The largest buffer kept from one envelope to the next. */
    private static final int MAX_KEPT_SIZE = 64 * 1024;

    private final ObjectMapper mapper;
    private final Sink sink = new Sink();
    private byte[] buf = new byte[INITIAL_SIZE];
    private int length;
    private JsonGenerator gen;

    EnvelopeWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Writes one envelope, replacing what the buffer held. */
    public void write(Envelope e) {
        length = 0;
        if (buf.length > MAX_KEPT_SIZE) {
            buf = new byte[INITIAL_SIZE];
        }
        try {
            append(ID);
            string(e.id());
            append(TIMESTAMP);
            string(e.timestamp());
            append(TYPE[e.type().ordinal()]);
            append(VERSION);
            string(e.version());
            append(PAYLOAD);
            payload(e);
            append(ARGS);
            tree(e.args());
            append(METADATA);
            metadata(e.metadata(), e.position());
            optional(ROOM, e.room());
            optional(CHANNEL, e.channel());
            optional(SENDER, e.sender());
            optional(COMMAND, e.command());
            optional(REQUEST_ID, e.requestId());
            optional(STATUS, e.status());
            optional(ERROR, e.error());
            optional(ERROR_CODE, e.errorCode());
            if (e.to() != null) {
                append(TO);
                for (int i = 0; i < e.to().size(); i++) {
                    if (i > 0) {
                        append((byte) ',');
                    }
                    string(e.to().get(i));
                }
                append((byte) ']');
            }
            optional(ACK, e.ack());
            append((byte) '}');
        } catch (IOException ex) {
            gen = null;
            throw new UncheckedIOException(ex);
        } catch (RuntimeException ex) {
            gen = null;
            throw ex;
        }
    }

    /** The buffer holding the last envelope written, from index 0; valid until the next write. */
    public byte[] array() {
        return buf;
    }

    /** The length of the last envelope written. */
    public int length() {
        return length;
    }

    /** Copies the last envelope written to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, length);
    }

    /** The last envelope written, as a new array. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    private void payload(Envelope e) throws IOException {
        ReceivedJson text = e.payloadText();
        if (text != null) {
            text.writeTo(sink);
        } else {
            tree(e.payload());
        }
    }

    private void metadata(ObjectNode metadata, StreamPosition position) throws IOException {
        if (position == null) {
            tree(metadata);
            return;
        }
        if (!metadata.isEmpty()) {
            metadataWithPosition(metadata, position);
            return;
        }
        append((byte) '{');
        append(OFFSET);
        number(position.offset());
        append(EPOCH);
        string(position.epoch());
        append((byte) '}');
    }

    /** Free metadata and the server's position: through the generator, the position last. */
    private void metadataWithPosition(ObjectNode metadata, StreamPosition position) throws IOException {
        JsonGenerator g = generator();
        g.writeStartObject();
        Iterator<Map.Entry<String, JsonNode>> fields = metadata.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!"offset".equals(name) && !"epoch".equals(name)) {
                g.writeFieldName(name);
                JsonTrees.write(g, field.getValue(), mapper);
            }
        }
        g.writeNumberField("offset", position.offset());
        g.writeStringField("epoch", position.epoch());
        g.writeEndObject();
        g.flush();
    }

    private void tree(ObjectNode node) throws IOException {
        if (node.isEmpty()) {
            append(EMPTY_OBJECT);
            return;
        }
        JsonGenerator g = generator();
        JsonTrees.write(g, node, mapper);
        g.flush();
    }

    private void optional(byte[] field, String value) throws IOException {
        if (value != null) {
            append(field);
            string(value);
        }
    }

    /** A JSON string: copied when every char is printable ASCII other than {@code "} and {@code \}, else Jackson's. */
    private void string(String s) throws IOException {
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int at = length;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                escaped(s);
                return;
            }
            b[at++] = (byte) c;
        }
        b[at++] = '"';
        length = at;
    }

    private void escaped(String s) throws IOException {
        JsonGenerator g = generator();
        g.writeString(s);
        g.flush();
    }

    private void number(long value) {
        if (value == Long.MIN_VALUE) {
            append(ascii(Long.toString(value)));
            return;
        }
        ensure(20);
        if (value < 0) {
            buf[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int at = length + digits;
        length = at;
        do {
            buf[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
    }

    private void append(byte b) {
        ensure(1);
        buf[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + more, buf.length * 2));
        }
    }

    /**
     * The generator for values that need Jackson, writing root-level values into the buffer with
     * nothing between them; flushed after each value so its bytes land before the next ones.
     */
    private JsonGenerator generator() throws IOException {
        if (gen == null) {
            gen = mapper.getFactory().createGenerator(sink, JsonEncoding.UTF8);
            gen.setRootValueSeparator(null);
        }
        return gen;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends to the buffer: where the generator's output and received text land. */
    private final class Sink extends OutputStream {
        @Override
        public void write(int b) {
            append((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            ensure(count);
            System.arraycopy(bytes, offset, buf, length, count);
            length += count;
        }
    }
}
