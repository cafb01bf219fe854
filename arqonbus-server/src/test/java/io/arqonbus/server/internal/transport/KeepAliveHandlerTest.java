package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.session.Disconnector;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server keepalive on an embedded channel, with the channel's clock moved by hand. */
class KeepAliveHandlerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final EmbeddedConnection conn = new EmbeddedConnection();

    private void install(Duration interval) {
        conn.channel.pipeline().addLast(HandlerNames.KEEPALIVE,
                new KeepAliveHandler(interval, TIMEOUT, conn.outbound, new Disconnector(Duration.ofSeconds(2))));
    }

    @AfterEach
    void close() {
        conn.close();
    }

    @Test
    void aQuietConnectionIsPingedAfterTheIntervalWithItsSequenceNumber() {
        install(INTERVAL);
        conn.advance(INTERVAL.minusMillis(1));
        assertThat(conn.written()).isEmpty();

        conn.advance(Duration.ofMillis(1));
        List<Object> out = conn.written();
        assertThat(out).singleElement().isInstanceOf(PingWebSocketFrame.class);
        PingWebSocketFrame ping = (PingWebSocketFrame) out.get(0);
        assertThat(ping.content().readableBytes()).isEqualTo(8);
        assertThat(ping.content().getLong(0)).isEqualTo(1);
        EmbeddedConnection.release(out);
    }

    @Test
    void anAnsweredPingKeepsTheConnectionAndTheNextPingCarriesTheNextNumber() {
        install(INTERVAL);
        conn.advance(INTERVAL);
        EmbeddedConnection.release(conn.written());

        conn.advance(TIMEOUT.minusSeconds(1));
        conn.channel.writeInbound(new PongWebSocketFrame());
        assertThat(conn.drainInbound()).isEqualTo(1); // passed on to the frame handler's place
        conn.advance(TIMEOUT);
        assertThat(conn.channel.isActive()).isTrue();
        assertThat(conn.written()).isEmpty();

        conn.advance(INTERVAL.minus(TIMEOUT));
        List<Object> out = conn.written();
        assertThat(out).singleElement().isInstanceOf(PingWebSocketFrame.class);
        assertThat(((PingWebSocketFrame) out.get(0)).content().getLong(0)).isEqualTo(2);
        EmbeddedConnection.release(out);
    }

    @Test
    void idleThenPingThenNoPongClosesWith1011() {
        install(INTERVAL);
        conn.advance(INTERVAL);
        List<Object> ping = conn.written();
        assertThat(ping).singleElement().isInstanceOf(PingWebSocketFrame.class);
        EmbeddedConnection.release(ping);

        conn.advance(TIMEOUT.minusMillis(1));
        assertThat(conn.channel.isActive()).isTrue();
        conn.advance(Duration.ofMillis(1));

        List<Object> out = conn.written();
        assertThat(out).singleElement().isInstanceOf(CloseWebSocketFrame.class);
        CloseWebSocketFrame close = (CloseWebSocketFrame) out.get(0);
        assertThat(close.statusCode()).isEqualTo(CloseCodes.INTERNAL_ERROR);
        assertThat(close.reasonText()).isEqualTo("keepalive ping timeout");
        EmbeddedConnection.release(out);
        assertThat(conn.channel.isOpen()).isFalse();
    }

    @Test
    void anyFrameCountsAsLifeAndPutsThePingOff() {
        install(INTERVAL);
        conn.advance(Duration.ofSeconds(15));
        conn.channel.writeInbound(new TextWebSocketFrame("{}"));
        conn.drainInbound();
        conn.advance(Duration.ofSeconds(15));
        assertThat(conn.written()).isEmpty();

        conn.advance(Duration.ofSeconds(5));
        List<Object> out = conn.written();
        assertThat(out).singleElement().isInstanceOf(PingWebSocketFrame.class);
        EmbeddedConnection.release(out);
    }

    @Test
    void anIntervalOfZeroTurnsKeepaliveOff() {
        install(Duration.ZERO);
        conn.advance(Duration.ofHours(1));
        assertThat(conn.written()).isEmpty();
        assertThat(conn.channel.isActive()).isTrue();
    }
}
