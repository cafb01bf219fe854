package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.telemetry.TelemetryHub;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.internal.auth.Authenticator;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The telemetry WebSocket port (protocol §9): a welcome with the server's telemetry config,
 * {@code ping}→{@code pong}, {@code subscribe} to filter event types, and the stream of
 * {@link TelemetryHub} events. At most {@code maxClients} at once; more are closed with 1013. A
 * connection that has not finished its upgrade within the handshake timeout (the bus port's
 * setting) is closed, as on the bus port.
 */
public final class TelemetryServer extends ChannelInitializer<SocketChannel> {
    private final TelemetryHub hub;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final Disconnector disconnector;
    private final ExceptionHandler exceptionHandler;
    private final int maxClients;
    private final Duration handshakeTimeout;
    private final BusMetrics metrics;
    private final OutOfMemoryGuard outOfMemory;
    private final Auth auth;
    private volatile String host = "";
    private volatile int port;

    public TelemetryServer(TelemetryHub hub, EnvelopeCodec codec, Clock clock, Disconnector disconnector,
            ExceptionHandler exceptionHandler, int maxClients, Duration handshakeTimeout, BusMetrics metrics,
            OutOfMemoryGuard outOfMemory) {
        this(hub, codec, clock, disconnector, exceptionHandler, maxClients, handshakeTimeout, metrics, outOfMemory,
                null);
    }

    /**
     * Who may connect when {@code ARQONBUS_TELEMETRY_AUTH} is on ({@link TelemetryAuthHandler}).
     *
     * @param authenticator verifies admin JWTs
     * @param keys          the HTTP API keys, of which those of scope admin are accepted
     */
    public record Auth(Authenticator authenticator, List<ApiKey> keys) {
    }

    /** A telemetry port that needs an admin credential at the upgrade when {@code auth} is not null. */
    public TelemetryServer(TelemetryHub hub, EnvelopeCodec codec, Clock clock, Disconnector disconnector,
            ExceptionHandler exceptionHandler, int maxClients, Duration handshakeTimeout, BusMetrics metrics,
            OutOfMemoryGuard outOfMemory, Auth auth) {
        this.auth = auth;
        this.hub = hub;
        this.codec = codec;
        this.clock = clock;
        this.disconnector = disconnector;
        this.exceptionHandler = exceptionHandler;
        this.maxClients = maxClients;
        this.handshakeTimeout = handshakeTimeout;
        this.metrics = metrics;
        this.outOfMemory = outOfMemory;
    }

    /** Records where the port is bound, for the welcome's {@code server_config}. */
    public void boundTo(String boundHost, int boundPort) {
        this.host = boundHost;
        this.port = boundPort;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (outOfMemory.refusingHandshakes()) {
            // Out of memory under the shed policy: no new connections until use is below the mark.
            metrics.connectionRejected();
            ch.close();
            return;
        }
        ch.pipeline()
                .addLast(HandlerNames.HANDSHAKE_TIMEOUT, new HandshakeTimeoutHandler(handshakeTimeout, metrics))
                .addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec())
                .addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(16 * 1024));
        if (auth != null) {
            ch.pipeline().addLast("telemetry-auth", new TelemetryAuthHandler(auth.authenticator(), auth.keys()));
        }
        ch.pipeline()
                .addLast("ws-protocol", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/").checkStartsWith(true).handleCloseFrames(true)
                        .handshakeTimeoutMillis(handshakeTimeout.toMillis())
                        .maxFramePayloadLength(64 * 1024).build()))
                .addLast(HandlerNames.TELEMETRY_FRAMES, new TelemetryFrameHandler())
                .addLast(HandlerNames.EXCEPTION, exceptionHandler);
    }

    private final class TelemetryFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private TelemetryHub.TelemetryClient client;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                if (hub.clientCount() >= maxClients) {
                    disconnector.close(ctx.channel(), CloseCodes.TRY_AGAIN_LATER, "telemetry client limit reached");
                    return;
                }
                client = hub.register(ctx.channel());
                send(ctx.channel(), welcome());
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                return;
            }
            if (!(frame instanceof TextWebSocketFrame text) || client == null) {
                return;
            }
            JsonNode request;
            try {
                request = codec.mapper().readTree(text.text());
            } catch (Exception e) {
                send(ctx.channel(), error("Invalid JSON"));
                return;
            }
            String type = request.path("type").asText("");
            switch (type) {
                case "ping" -> {
                    ObjectNode pong = codec.mapper().createObjectNode();
                    pong.put("type", "pong");
                    pong.put("timestamp", Timestamps.now(clock));
                    send(ctx.channel(), pong);
                }
                case "subscribe" -> {
                    Set<String> events = new LinkedHashSet<>();
                    request.path("events").forEach(e -> {
                        if (e.isTextual()) {
                            events.add(e.asText());
                        }
                    });
                    client.subscribe(events);
                    ObjectNode ack = codec.mapper().createObjectNode();
                    ack.put("type", "subscribed");
                    var list = ack.putArray("events");
                    events.forEach(list::add);
                    ack.put("timestamp", Timestamps.now(clock));
                    send(ctx.channel(), ack);
                }
                default -> send(ctx.channel(), error("Unknown telemetry request type '" + type
                        + "'; expected ping or subscribe"));
            }
        }

        private ObjectNode welcome() {
            ObjectNode welcome = codec.mapper().createObjectNode();
            welcome.put("event_type", "telemetry_connected");
            welcome.put("timestamp", Timestamps.now(clock));
            welcome.put("message", "Connected to ArqonBus telemetry");
            ObjectNode config = welcome.putObject("server_config");
            config.put("host", host);
            config.put("port", port);
            config.putArray("filtered_events");
            return welcome;
        }

        private ObjectNode error(String sentence) {
            ObjectNode error = codec.mapper().createObjectNode();
            error.put("type", "error");
            error.put("error", sentence);
            error.put("timestamp", Timestamps.now(clock));
            return error;
        }
    }

    private void send(Channel channel, JsonNode json) {
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(codec.writeTree(json))));
    }

}
