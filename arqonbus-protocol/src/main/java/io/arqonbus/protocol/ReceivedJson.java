package io.arqonbus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The JSON text a client sent for one tree, kept so that encoding the tree again can copy the
 * text instead: a publication's payload is written into the delivered frame and into the
 * sender's {@code message_response}, and writing a tree costs several times more than copying
 * its bytes.
 *
 * <p>The text stands for the tree it was read into and for no other: {@link #isTextOf} compares
 * identities, so an envelope whose payload was replaced (a CASIL redaction makes a new tree) is
 * encoded from its new tree, never from stale text. Only text that says the same thing to every
 * JSON reader is kept: the decoder drops it when an object in it repeats a name (the tree keeps
 * the last value; other readers keep the first) and when it is not strict UTF-8 (the parser
 * accepts overlong forms, which a browser would refuse by closing its connection). Otherwise the text may differ from what
 * encoding the tree would give only in ways JSON readers do not see: white space, escapes such
 * as {@code \u0041}, and the spelling of numbers (which it keeps more exactly than the tree's
 * doubles). Immutable; the bytes are never handed out.
 */
public final class ReceivedJson {
    private final JsonNode tree;
    private final byte[] utf8;

    ReceivedJson(JsonNode tree, byte[] utf8) {
        this.tree = tree;
        this.utf8 = utf8;
    }

    /** Whether this is the text {@code node} was read from (the very same tree object). */
    public boolean isTextOf(JsonNode node) {
        return node == tree;
    }

    /** The text's length in bytes. */
    public int length() {
        return utf8.length;
    }

    /** Writes the text's UTF-8 bytes. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(utf8, 0, utf8.length);
    }

    @Override
    public String toString() {
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
}
