package io.arqonbus.server.internal.session;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every server-initiated WebSocket close goes through here: it sends a close frame with a code
 * and a short reason, logs once, and makes sure the TCP connection ends even if the peer never
 * answers.
 */
public final class Disconnector {
    private static final Logger log = LoggerFactory.getLogger(Disconnector.class);
    private static final AttributeKey<Boolean> CLOSING = Outbound.CLOSING;
    /** How long a peer has to take a close frame before the socket is dropped. */
    private final long closeWaitMillis;

    public Disconnector(java.time.Duration closeWait) {
        this.closeWaitMillis = closeWait.toMillis();
    }

    /**
     * Closes gracefully: close frame, then the socket once it is sent (or after a short wait).
     * Safe to call from any thread and more than once. The close is always queued on the
     * connection's loop, behind the deliveries already queued for it (an error frame followed by
     * a 4000 close arrives in that order); nothing is written after the close frame.
     */
    public void close(Channel channel, int code, String reason) {
        channel.eventLoop().execute(() -> closeOnLoop(channel, code, reason));
    }

    private void closeOnLoop(Channel channel, int code, String reason) {
        if (!markClosing(channel, code, reason)) {
            return;
        }
        // Once the close frame is in the socket, end our side with a FIN behind it rather than
        // closing at once: a close() while the peer's last frames (a pong, its own close frame)
        // still sit unread in our receive queue makes the kernel answer with a reset, which throws
        // away the unsent close frame, and a slow peer would never see its code. The peer answers
        // the FIN by closing its side; the timer below covers peers that never do.
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(future -> {
            if (future.isSuccess() && channel instanceof DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) {
                channel.close();
            }
        }, closeWaitMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Closes without waiting for queued deliveries, for peers that do not read (slow consumers):
     * from now on nothing more is written, the close frame goes out behind the bytes already
     * pending (so a peer that resumes reading sees the code), and the socket is dropped when the
     * close frame is sent or after the close wait, whichever comes first. Pending output stays
     * bounded by the budget that triggered the close.
     */
    public void closeNow(Channel channel, int code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> closeNow(channel, code, reason));
            return;
        }
        closeOnLoop(channel, code, reason);
    }

    /** Whether a close was already started for this channel. */
    public static boolean isClosing(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }

    private static boolean markClosing(Channel channel, int code, String reason) {
        if (!channel.attr(CLOSING).compareAndSet(null, Boolean.TRUE)) {
            return false;
        }
        if (!channel.isActive()) {
            return false;
        }
        log.atDebug()
                .addKeyValue("event", "close")
                .addKeyValue("code", code)
                .addKeyValue("reason", reason)
                .addKeyValue("remote", channel.remoteAddress())
                .log("close");
        return true;
    }
}
