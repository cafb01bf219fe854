package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes JSON trees straight from a parser and to a generator, node by node. The hot
 * path reads a payload tree once per publication and writes it once; going through
 * {@code ObjectMapper.readTree}/{@code writeTree} would create a deserialization context or a
 * serializer provider and look up a (de)serializer every time. Writing, nodes other than the
 * plain JSON types (binary, POJO) fall back to the mapper.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** {@link Reader#read} with a reader of its own. */
    static JsonNode read(JsonParser parser) throws IOException {
        return new Reader().read(parser);
    }

    /**
     * Reads trees from a parser and notes whether any object read repeated a name: such a tree
     * keeps only the last value, so its source text and the tree no longer say the same thing to
     * every reader (many keep the first), and the source must not be passed on in its place.
     */
    static final class Reader {
        private boolean repeatedName;

        /** Whether an object read so far had a name twice. */
        boolean repeatedName() {
            return repeatedName;
        }

        /**
         * Reads the value at the parser's current token, leaving the parser on its last token.
         * Builds the nodes {@code ObjectMapper.readTree} builds under the default configuration:
         * integers as int, long or big-integer nodes by size, every other number as a double node,
         * a repeated name's last value in the first one's place. Recurses once per nesting level,
         * which the parser's nesting limit (1,000 by default) bounds.
         */
        JsonNode read(JsonParser parser) throws IOException {
            return switch (parser.currentTokenId()) {
                case JsonTokenId.ID_START_OBJECT -> readObject(parser);
                case JsonTokenId.ID_START_ARRAY -> readArray(parser);
                case JsonTokenId.ID_STRING -> NODES.textNode(parser.getText());
                case JsonTokenId.ID_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case JsonTokenId.ID_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case JsonTokenId.ID_TRUE -> NODES.booleanNode(true);
                case JsonTokenId.ID_FALSE -> NODES.booleanNode(false);
                case JsonTokenId.ID_NULL -> NODES.nullNode();
                default -> throw new IOException("unexpected token " + parser.currentToken());
            };
        }

        private ObjectNode readObject(JsonParser parser) throws IOException {
            ObjectNode object = NODES.objectNode();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                parser.nextToken();
                if (object.replace(name, read(parser)) != null) {
                    repeatedName = true;
                }
            }
            return object;
        }

        private ArrayNode readArray(JsonParser parser) throws IOException {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                array.add(read(parser));
            }
            return array;
        }
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
