package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes envelopes one after another to one output through one long-lived generator: creating a
 * generator per envelope (its I/O context, its buffer from the recycler, its write context) was a
 * measurable share of the hot path, which encodes every publication and its ack. The output is
 * fixed; whoever owns it points it at the next destination between envelopes. Each envelope is
 * flushed to the output before {@link #write} returns. After a failure the generator is dropped
 * and the next envelope starts on a fresh one. Confined to one thread.
 */
public final class EnvelopeWriter {
    private final EnvelopeCodec codec;
    private final OutputStream out;
    private JsonGenerator gen;

    EnvelopeWriter(EnvelopeCodec codec, OutputStream out) {
        this.codec = codec;
        this.out = out;
    }

    /** Writes one envelope as a JSON object and flushes it to the output. */
    public void write(Envelope envelope, EnvelopeCodec.PayloadSplice splice) {
        try {
            if (gen == null) {
                gen = codec.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
                gen.setRootValueSeparator(null);
            }
            codec.write(envelope, gen, splice);
            gen.flush();
        } catch (IOException e) {
            gen = null;
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            gen = null;
            throw e;
        }
    }
}
