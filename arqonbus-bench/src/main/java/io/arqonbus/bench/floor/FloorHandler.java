package io.arqonbus.bench.floor;

import static io.arqonbus.bench.scan.ByteScan.indexOf;
import static io.arqonbus.bench.scan.ByteScan.marker;
import static io.arqonbus.bench.scan.ByteScan.regionEquals;
import static io.arqonbus.bench.scan.ByteScan.stringEnd;
import static io.arqonbus.bench.scan.ByteScan.valueIndex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One floor connection: a welcome frame after the upgrade; {@code join_channel} commands join a
 * group and get a minimal {@code response} with the request id; any other text frame that names a
 * room and channel is forwarded verbatim to the group's other members. Nothing is validated.
 */
final class FloorHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    static final String WELCOME =
            "{\"type\":\"message\",\"version\":\"1.0\",\"payload\":{\"welcome\":\"Connected to the floor\"},"
                    + "\"sender\":\"floor\"}";
    private static final byte[] TYPE_COMMAND = marker("\"type\":\"command\"");
    private static final byte[] JOIN = marker("\"join_channel\"");
    private static final byte[] ROOM = marker("\"room\":\"");
    private static final byte[] CHANNEL = marker("\"channel\":\"");
    private static final byte[] ID = marker("\"id\":\"");

    private final Groups groups;
    private final List<Group> joined = new ArrayList<>(1);
    private byte[] lastRoom;
    private byte[] lastChannel;
    private Group lastGroup;

    FloorHandler(Groups groups) {
        this.groups = groups;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.writeAndFlush(new TextWebSocketFrame(WELCOME), ctx.voidPromise());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        if (indexOf(content, TYPE_COMMAND, 0) >= 0) {
            command(ctx, content);
            return;
        }
        int roomStart = valueIndex(content, ROOM, 0);
        int roomEnd = roomStart < 0 ? -1 : stringEnd(content, roomStart);
        int channelStart = valueIndex(content, CHANNEL, 0);
        int channelEnd = channelStart < 0 ? -1 : stringEnd(content, channelStart);
        if (roomEnd < 0 || channelEnd < 0) {
            return;
        }
        Group group = lastGroup;
        if (group == null
                || !regionEquals(content, roomStart, roomEnd - roomStart, lastRoom)
                || !regionEquals(content, channelStart, channelEnd - channelStart, lastChannel)) {
            lastRoom = ByteBufUtil.getBytes(content, roomStart, roomEnd - roomStart);
            lastChannel = ByteBufUtil.getBytes(content, channelStart, channelEnd - channelStart);
            group = groups.group(new String(lastRoom, StandardCharsets.UTF_8),
                    new String(lastChannel, StandardCharsets.UTF_8));
            lastGroup = group;
        }
        ByteBuf whole = TextFrames.of(ctx.alloc(), content);
        try {
            group.forward(whole, ctx.channel());
        } finally {
            whole.release();
        }
    }

    private void command(ChannelHandlerContext ctx, ByteBuf content) {
        String id = value(content, ID);
        String requestId = id == null ? "null" : '"' + id + '"';
        String room = value(content, ROOM);
        String channel = value(content, CHANNEL);
        if (indexOf(content, JOIN, 0) < 0 || room == null || channel == null) {
            ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"response\",\"request_id\":" + requestId
                    + ",\"status\":\"error\",\"error_code\":\"UNKNOWN_COMMAND\","
                    + "\"error\":\"The floor knows only join_channel with room and channel\"}"), ctx.voidPromise());
            return;
        }
        Group group = groups.group(room, channel);
        if (!joined.contains(group)) {
            group.join(ctx.channel());
            joined.add(group);
        }
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"response\",\"command\":\"join_channel\",\"request_id\":"
                + requestId + ",\"status\":\"success\",\"payload\":{\"message\":\"Joined " + room + ':' + channel
                + "\",\"data\":{\"room\":\"" + room + "\",\"channel\":\"" + channel + "\"}}}"), ctx.voidPromise());
    }

    private static String value(ByteBuf content, byte[] marker) {
        int start = valueIndex(content, marker, 0);
        int end = start < 0 ? -1 : stringEnd(content, start);
        return end < 0 ? null : content.toString(start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Group group : joined) {
            group.leave(ctx.channel());
        }
        joined.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
