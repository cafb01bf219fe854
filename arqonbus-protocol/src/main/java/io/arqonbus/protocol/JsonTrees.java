package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree straight to a generator, node by node. The hot path writes a payload tree
 * once per publication (and once more for the legacy ack); going through
 * {@code ObjectMapper.writeTree} would look up a serializer and create a provider every time.
 * Nodes other than the plain JSON types (binary, POJO) fall back to the mapper.
 */
final class JsonTrees {
    private JsonTrees() {
    }

    static void write(JsonGenerator gen, JsonNode node, ObjectMapper fallback) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                gen.writeStartObject();
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    gen.writeFieldName(field.getKey());
                    write(gen, field.getValue(), fallback);
                }
                gen.writeEndObject();
            }
            case ARRAY -> {
                gen.writeStartArray();
                for (int i = 0, n = node.size(); i < n; i++) {
                    write(gen, node.get(i), fallback);
                }
                gen.writeEndArray();
            }
            case STRING -> gen.writeString(node.textValue());
            case BOOLEAN -> gen.writeBoolean(node.booleanValue());
            case NULL, MISSING -> gen.writeNull();
            case NUMBER -> writeNumber(gen, node);
            default -> fallback.writeTree(gen, node);
        }
    }

    private static void writeNumber(JsonGenerator gen, JsonNode node) throws IOException {
        switch (node.numberType()) {
            case INT -> gen.writeNumber(node.intValue());
            case LONG -> gen.writeNumber(node.longValue());
            case BIG_INTEGER -> gen.writeNumber(node.bigIntegerValue());
            case FLOAT -> gen.writeNumber(node.floatValue());
            case DOUBLE -> gen.writeNumber(node.doubleValue());
            case BIG_DECIMAL -> gen.writeNumber(node.decimalValue());
        }
    }
}
