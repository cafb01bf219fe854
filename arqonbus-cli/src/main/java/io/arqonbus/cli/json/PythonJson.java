package io.arqonbus.cli.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON text laid out as the original Python CLI printed it ({@code json.dumps(…, sort_keys=True)}):
 * keys sorted, {@code ", "} and {@code ": "} separators, non-ASCII escaped as {@code \\uXXXX}, and
 * with {@link #indented} two-space indentation. Scripts that parsed the original's output keep
 * working.
 */
public final class PythonJson {
    private static final ObjectMapper SCALARS = JsonMapper.builder().build();

    private PythonJson() {
    }

    /** One line: {@code {"a": 1, "b": [1, 2]}}. */
    public static String compact(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, -1, 0);
        return out.toString();
    }

    /** Indented by two spaces per level, as {@code json.dumps(…, indent=2, sort_keys=True)}. */
    public static String indented(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, 2, 0);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, int indent, int depth) {
        if (node == null || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.properties().forEach(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            if (fields.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                separator(out, indent, depth + 1, i > 0);
                out.append(scalar(JsonNodeFactory.instance.textNode(fields.get(i).getKey()))).append(": ");
                write(fields.get(i).getValue(), out, indent, depth + 1);
            }
            close(out, indent, depth, '}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            boolean first = true;
            while (elements.hasNext()) {
                separator(out, indent, depth + 1, !first);
                write(elements.next(), out, indent, depth + 1);
                first = false;
            }
            close(out, indent, depth, ']');
        } else {
            out.append(scalar(node));
        }
    }

    private static void separator(StringBuilder out, int indent, int depth, boolean comma) {
        if (comma) {
            out.append(indent < 0 ? ", " : ",");
        }
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void close(StringBuilder out, int indent, int depth, char bracket) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
        out.append(bracket);
    }

    private static String scalar(JsonNode node) {
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        try {
            return SCALARS.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON string as Python's {@code ensure_ascii} writes it (lower-case hex escapes). */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
