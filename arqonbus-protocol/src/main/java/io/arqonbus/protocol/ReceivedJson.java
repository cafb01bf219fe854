package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * doubles). The bytes are never handed out.
 *
 * <p>The tree is made on first use ({@link #tree()}): a plain publication's payload is checked
 * while its frame is decoded ({@link PayloadScan}) and then only copied, so most payloads never
 * become trees. Every reader of the tree gets the same object; safe for concurrent use.
 */
public final class ReceivedJson {
    private static final VarHandle TREE;

    static {
        try {
            TREE = MethodHandles.lookup().findVarHandle(ReceivedJson.class, "tree", ObjectNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final JsonFactory factory;
    private final byte[] utf8;
    /** The tree read from {@link #utf8}, once someone asked for it; set once, through {@link #TREE}. */
    @SuppressWarnings("unused")
    private volatile ObjectNode tree;

    /**
     * The text of a JSON object that {@code factory}'s parsers have read without error and whose
     * objects repeat no name; its tree is read from it on first use.
     */
    ReceivedJson(JsonFactory factory, byte[] utf8) {
        this.factory = factory;
        this.utf8 = utf8;
    }

    /** Whether this is the text {@code node} was read from (the very same tree object). */
    public boolean isTextOf(JsonNode node) {
        return node != null && node == tree;
    }

    /**
     * The tree of this text, read the first time it is asked for; the same object for every caller.
     *
     * @throws UncheckedIOException never for text the decoder kept (it was read once already)
     */
    ObjectNode tree() {
        ObjectNode read = tree;
        if (read != null) {
            return read;
        }
        try (JsonParser parser = factory.createParser(utf8)) {
            parser.nextToken();
            read = (ObjectNode) JsonTrees.read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode won = (ObjectNode) TREE.compareAndExchange(this, null, read);
        return won != null ? won : read;
    }

    /** Whether the tree was read already (for tests of when it is). */
    boolean treeRead() {
        return tree != null;
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
