package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonTokenId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a payload object through a parser without building its tree: every token is read and
 * every string decoded (so the parser refuses exactly what {@link JsonTrees.Reader} would: bad
 * syntax, bad escapes and encodings, the nesting, number and string limits), and a name repeated
 * inside one object is noted. One instance per scan; not thread-safe.
 */
final class PayloadScan {
    /** Up to this many names an object's names are compared one by one; past it, through a hash set. */
    private static final int LINEAR_NAMES = 16;
    /** A string longer than this is also turned into a {@code String}, so the parser's string-length limit is checked exactly. */
    private static final int LONG_STRING = 1 << 16;

    /** The names of the objects being read, innermost last. */
    private final List<String> names = new ArrayList<>();
    private boolean repeatedName;

    private PayloadScan() {
    }

    /**
     * Reads the object at the parser's current {@code START_OBJECT}, leaving the parser on its
     * {@code END_OBJECT}. Recurses once per nesting level, which the parser's nesting limit bounds.
     *
     * @return whether an object in it had a name twice
     * @throws IOException when the JSON is malformed or passes the parser's limits
     */
    static boolean readObject(JsonParser parser) throws IOException {
        PayloadScan scan = new PayloadScan();
        scan.object(parser);
        return scan.repeatedName;
    }

    private void value(JsonParser parser) throws IOException {
        switch (parser.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT -> object(parser);
            case JsonTokenId.ID_START_ARRAY -> {
                while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    value(parser);
                }
            }
            case JsonTokenId.ID_STRING -> {
                if (parser.getTextLength() > LONG_STRING) {
                    parser.getText();
                }
            }
            case JsonTokenId.ID_NUMBER_INT, JsonTokenId.ID_NUMBER_FLOAT, JsonTokenId.ID_TRUE, JsonTokenId.ID_FALSE,
                    JsonTokenId.ID_NULL -> {
                // Checked by the parser as it read the token.
            }
            default -> throw new IOException("unexpected token " + parser.currentToken());
        }
    }

    private void object(JsonParser parser) throws IOException {
        int start = names.size();
        Set<String> many = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            if (!repeatedName) {
                if (many != null) {
                    repeatedName = !many.add(name);
                } else if (names.size() - start < LINEAR_NAMES) {
                    repeatedName = names.subList(start, names.size()).contains(name);
                    names.add(name);
                } else {
                    many = new HashSet<>(names.subList(start, names.size()));
                    repeatedName = !many.add(name);
                }
            }
            parser.nextToken();
            value(parser);
        }
        names.subList(start, names.size()).clear();
    }
}
