package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery on join: a client that names the last position it saw gets what it missed from the
 * store before live publications. While it runs, the channel's live frames for that session are
 * held back ({@link Session#hold}); {@link #finish} writes the recovered publications, then the
 * held frames, then lets live frames through.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final FrameEncoder encoder;
    private final FanOut fanOut;

    Recovery(FrameEncoder encoder, FanOut fanOut) {
        this.encoder = encoder;
        this.fanOut = fanOut;
    }

    /**
     * Starts a recovery when one is possible: same epoch, and between 1 and {@code maxRecovery}
     * publications missed. Called by the channel while it admits the member at {@code now}.
     *
     * @param recover the last position the client saw, or {@code null}
     * @return whether a recovery started
     */
    static boolean begin(Session session, ChannelKey key, StreamPosition recover, StreamPosition now,
            int maxRecovery) {
        if (recover == null || !recover.epoch().equals(now.epoch())) {
            return false;
        }
        long missed = now.offset() - recover.offset();
        if (missed > 0 && missed <= maxRecovery) {
            session.startRecovery(key, now.offset());
            return true;
        }
        return false;
    }

    /**
     * Ends a recovery on the session's loop: writes the recovered publications (JSON exactly as
     * stored, in order), then the live frames held back meanwhile. When more arrived than could be
     * held, the connection is closed as a slow consumer (4001) rather than leave a silent gap.
     */
    void finish(Session session, ChannelKey key, List<byte[]> recovered) {
        for (byte[] json : recovered) {
            fanOut.writeNow(session, encoder.encode(json));
        }
        List<ByteBuf> held = session.endRecovery(key);
        if (held == null) {
            log.atWarn()
                    .addKeyValue("event", "recovery_overflow")
                    .addKeyValue("code", "SLOW_CONSUMER")
                    .addKeyValue("client", session.clientId())
                    .addKeyValue("stream", key)
                    .addKeyValue("msg", "More live messages arrived during the recovery than can be held; closing")
                    .log("recovery_overflow");
            session.outbound().closeAsSlowConsumer();
            return;
        }
        for (ByteBuf frame : held) {
            fanOut.writeNow(session, frame);
        }
    }
}
