package io.arqonbus.server.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.internal.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a prepared frame enters the pipeline: at the wire context, passing every outbound handler
 * before it (TLS) when there is one, and straight into the channel's outbound buffer when there is
 * none; either way it reaches the socket once and in order.
 */
class OutboundWireTest {
    /** Stands for the WebSocket encoder: where prepared frames enter. */
    private static final class Wire extends ChannelDuplexHandler {
    }

    /** Stands for TLS: an outbound handler below the wire that sees every write. */
    private static final class SeesWrites extends ChannelOutboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            seen.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
            ctx.write(msg, promise);
        }
    }

    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private Outbound outboundAtWire(EmbeddedChannel embedded) {
        LoopContext loop = new LoopContext(0, embedded.eventLoop());
        Outbound outbound = new Outbound(embedded, loop, 1 << 20, SlowConsumerPolicy.CLOSE, new Outbound.Listener() {
            @Override
            public void dropped(int bytes) {
            }

            @Override
            public void slowConsumer(Channel ch, long pendingBytes) {
            }
        });
        outbound.bind(new Session(embedded, loop, outbound, Principal.ANONYMOUS, "arq_client_wire", Instant.EPOCH));
        outbound.writeAt(embedded.pipeline().context(Wire.class));
        return outbound;
    }

    private static ByteBuf text(String value) {
        return Unpooled.copiedBuffer(value, StandardCharsets.UTF_8);
    }

    private List<String> written() {
        channel.runPendingTasks();
        List<String> out = new ArrayList<>();
        for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
            out.add(frame.toString(StandardCharsets.UTF_8));
            frame.release();
        }
        return out;
    }

    @Test
    void withoutAnOutboundHandlerBelowTheWireFramesReachTheSocketInOrder() {
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter(), new Wire(), new SeesWrites());
        SeesWrites above = (SeesWrites) channel.pipeline().last();
        Outbound outbound = outboundAtWire(channel);

        assertThat(outbound.write(text("one"))).isTrue();
        assertThat(outbound.write(text("two"))).isTrue();

        assertThat(written()).containsExactly("one", "two");
        assertThat(above.seen).as("handlers above the wire are not passed").isEmpty();
    }

    @Test
    void anOutboundHandlerBelowTheWireSeesEveryFrame() {
        SeesWrites tls = new SeesWrites();
        channel = new EmbeddedChannel(tls, new Wire());
        Outbound outbound = outboundAtWire(channel);

        assertThat(outbound.write(text("one"))).isTrue();
        assertThat(outbound.write(text("two"))).isTrue();

        assertThat(written()).containsExactly("one", "two");
        assertThat(tls.seen).containsExactly("one", "two");
    }

    @Test
    void aClosedConnectionTakesNoFrameAndReleasesIt() {
        channel = new EmbeddedChannel(new Wire());
        Outbound outbound = outboundAtWire(channel);
        channel.close();
        ByteBuf frame = text("late");

        assertThat(outbound.write(frame)).isFalse();
        assertThat(frame.refCnt()).isZero();
    }
}
