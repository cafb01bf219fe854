package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Disconnector;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle timeout on an embedded channel: only messages count, pings and pongs do not. */
class IdleTimeoutHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final EmbeddedConnection conn = new EmbeddedConnection();
    private final BusMetrics metrics = new BusMetrics();

    @AfterEach
    void close() {
        conn.close();
    }

    @Test
    void noMessageForTheTimeoutClosesWith4004AndCountsTheClose() {
        conn.channel.pipeline().addLast(HandlerNames.IDLE_TIMEOUT,
                new IdleTimeoutHandler(TIMEOUT, new Disconnector(Duration.ofSeconds(2)), metrics));
        conn.advance(Duration.ofSeconds(20));
        conn.channel.writeInbound(new TextWebSocketFrame("{}"));
        conn.advance(Duration.ofSeconds(20));
        conn.channel.writeInbound(new BinaryWebSocketFrame());
        assertThat(conn.drainInbound()).isEqualTo(2);

        // Pings and pongs are passed on but are not messages.
        conn.advance(Duration.ofSeconds(10));
        conn.channel.writeInbound(new PingWebSocketFrame());
        conn.channel.writeInbound(new PongWebSocketFrame());
        assertThat(conn.drainInbound()).isEqualTo(2);
        conn.advance(Duration.ofSeconds(20).minusMillis(1));
        assertThat(conn.channel.isActive()).isTrue();
        assertThat(conn.written()).isEmpty();

        conn.advance(Duration.ofMillis(1));
        List<Object> out = conn.written();
        assertThat(out).singleElement().isInstanceOf(CloseWebSocketFrame.class);
        CloseWebSocketFrame close = (CloseWebSocketFrame) out.get(0);
        assertThat(close.statusCode()).isEqualTo(CloseCodes.IDLE_TIMEOUT);
        assertThat(close.reasonText()).isEqualTo("idle timeout");
        EmbeddedConnection.release(out);
        assertThat(conn.channel.isOpen()).isFalse();
        Counter closes = metrics.registry().find("arqonbus.limit.closes").tag("reason", "idle_timeout").counter();
        assertThat(closes).isNotNull();
        assertThat(closes.count()).isEqualTo(1.0);
    }
}
