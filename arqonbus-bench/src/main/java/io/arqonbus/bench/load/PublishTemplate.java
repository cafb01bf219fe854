package io.arqonbus.bench.load;

import io.arqonbus.bench.scan.ByteScan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one publisher's frames without allocating anything but the buffer: the payload is
 * {@code {"bp":<publisher>,"bseq":<seq>,"bt":<System.nanoTime()>,"pad":"xxx…"}}, padded so the
 * payload object is about {@code payloadBytes} long.
 */
public final class PublishTemplate {
    private static final byte[] SEQ = ByteScan.marker(",\"bseq\":");
    private static final byte[] TIME = ByteScan.marker(",\"bt\":");

    private final byte[] head;
    private final byte[] tail;
    private final int estimatedSize;

    public PublishTemplate(Dialect dialect, String room, String channel, int publisher, int payloadBytes) {
        head = (dialect.publishPrefix(room, channel) + "{\"bp\":" + publisher).getBytes(StandardCharsets.UTF_8);
        int fixed = ("{\"bp\":" + publisher + ",\"bseq\":1000000,\"bt\":" + System.nanoTime() + ",\"pad\":\"\"}").length();
        char[] pad = new char[Math.max(0, payloadBytes - fixed)];
        Arrays.fill(pad, 'x');
        tail = (",\"pad\":\"" + new String(pad) + "\"}" + dialect.publishSuffix()).getBytes(StandardCharsets.UTF_8);
        estimatedSize = head.length + SEQ.length + TIME.length + tail.length + 40;
    }

    /** A new buffer holding the frame text for {@code seq}, stamped with the current {@link System#nanoTime()}. */
    public ByteBuf frame(ByteBufAllocator alloc, long seq) {
        ByteBuf buf = alloc.buffer(estimatedSize);
        buf.writeBytes(head).writeBytes(SEQ);
        ByteScan.writeLong(buf, seq);
        buf.writeBytes(TIME);
        ByteScan.writeLong(buf, System.nanoTime());
        buf.writeBytes(tail);
        return buf;
    }
}
