package io.arqonbus.server.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One bounded pass over a payload tree that yields, at once:
 * <ul>
 *   <li>the text the detectors read: the payload's JSON with string contents unescaped
 *       ({@code {"key":"value","n":1}}), cut at {@code maxChars} characters;</li>
 *   <li>whether a key named in {@code redaction_paths} occurs within that same prefix;</li>
 *   <li>the payload's serialized size in UTF-8 bytes (as the codec writes it), counted until it
 *       passes {@code sizeLimit} and no further.</li>
 * </ul>
 * The walk stops as soon as the text is full and the size is either not needed or known to be
 * over the limit, so its cost is bounded by {@code max_inspect_bytes} plus, for the size,
 * {@code max_payload_bytes}.
 */
final class InspectionText {
    private final StringBuilder text;
    private final int sizeLimit;
    private final Set<String> redactionKeys;
    private int budget;
    private long size;
    private boolean truncated;
    private boolean keyHit;

    private InspectionText(int maxChars, int sizeLimit, Set<String> redactionKeys) {
        this.text = new StringBuilder(Math.min(maxChars, 512));
        this.budget = maxChars;
        this.sizeLimit = sizeLimit;
        this.redactionKeys = redactionKeys;
    }

    /**
     * Walks a payload.
     *
     * @param maxChars      the most characters of text to produce
     * @param sizeLimit     stop counting the size once it passes this; 0 means the size is not needed
     * @param redactionKeys lower-case key names to look for
     */
    static InspectionText of(JsonNode payload, int maxChars, int sizeLimit, Set<String> redactionKeys) {
        InspectionText walk = new InspectionText(maxChars, sizeLimit, redactionKeys);
        walk.visit(payload);
        return walk;
    }

    /** The text read by the detectors. */
    String text() {
        return text.toString();
    }

    /** Whether the payload had more than {@code maxChars} characters of JSON. */
    boolean truncated() {
        return truncated;
    }

    /** Whether a redaction key name occurs in the inspected part. */
    boolean keyHit() {
        return keyHit;
    }

    /** The serialized size in bytes, exact up to the size limit (past it, some value above the limit). */
    long size() {
        return size;
    }

    private boolean done() {
        return budget <= 0 && (sizeLimit == 0 || size > sizeLimit);
    }

    private void visit(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                append("{");
                size += node.size() <= 1 ? 2 : 1 + node.size();
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                boolean first = true;
                while (fields.hasNext() && !done()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String key = field.getKey();
                    if (budget > 0) {
                        if (!redactionKeys.isEmpty() && redactionKeys.contains(key.toLowerCase(Locale.ROOT))) {
                            keyHit = true;
                        }
                        append(first ? "\"" : ",\"");
                        append(key);
                        append("\":");
                    }
                    first = false;
                    size += jsonStringBytes(key) + 1;
                    visit(field.getValue());
                }
                append("}");
            }
            case ARRAY -> {
                append("[");
                size += node.size() <= 1 ? 2 : 1 + node.size();
                for (int i = 0, n = node.size(); i < n && !done(); i++) {
                    if (i > 0) {
                        append(",");
                    }
                    visit(node.get(i));
                }
                append("]");
            }
            case STRING -> {
                String value = node.textValue();
                if (budget > 0) {
                    append("\"");
                    append(value);
                    append("\"");
                }
                if (sizeLimit > 0 && size <= sizeLimit) {
                    size += jsonStringBytes(value);
                } else {
                    size += value.length() + 2;
                }
            }
            case BOOLEAN -> scalar(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> scalar("null");
            default -> number(node);
        }
    }

    private void number(JsonNode node) {
        if ((node.isInt() || node.isLong()) && budget >= 20) {
            int before = text.length();
            text.append(node.longValue());
            int n = text.length() - before;
            budget -= n;
            size += n;
        } else {
            scalar(node.asText());
        }
    }

    private void scalar(String literal) {
        append(literal);
        size += literal.length();
    }

    private void append(String s) {
        if (budget <= 0) {
            if (!s.isEmpty()) {
                truncated = true;
            }
            return;
        }
        if (s.length() <= budget) {
            text.append(s);
            budget -= s.length();
            return;
        }
        text.append(s, 0, budget);
        budget = 0;
        truncated = true;
    }

    /** The bytes of a string as a JSON string literal in UTF-8, quotes and escapes included. */
    static long jsonStringBytes(String s) {
        long bytes = 2;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                    bytes += 2;
                } else {
                    bytes += c < 0x20 ? 6 : 1;
                }
            } else if (c < 0x800) {
                bytes += 2;
            } else {
                bytes += Character.isSurrogate(c) ? 2 : 3;
            }
        }
        return bytes;
    }
}
