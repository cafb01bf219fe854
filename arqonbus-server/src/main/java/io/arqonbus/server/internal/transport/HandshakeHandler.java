package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.auth.TokenExpiry;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.session.LoopContext;
import io.arqonbus.server.internal.session.Outbound;
import io.arqonbus.server.internal.session.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP upgrade request on any path into a bus session: authenticates it (refusing with
 * the original's exact 401 answer; when a key must be fetched first, the upgrade finishes on this
 * loop once it is in, without blocking the loop), starts the token expiry timer, enforces the connection limit (1013 after the upgrade), runs
 * the WebSocket handshake, and replaces itself with the keepalive and frame handlers.
 *
 * <p>The connection counts as a handshake in progress ({@link PendingHandshakes}) from the moment
 * its pipeline is made until it is welcomed, shed or closed; while more are in progress than the
 * bound allows, or when its request reaches the loop more than half the handshake timeout after
 * the accept, the upgrade is shed: upgraded without a token check or a session and closed at
 * once with 1013 ({@link PendingHandshakes#SHED_REASON}).
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    private final BusDependencies deps;
    private final WebSocketDecoderConfig decoderConfig;
    private final OriginAllowList origins;
    private final PendingHandshakes pending;
    /** Whether this connection is still counted in {@link #pending}; touched on its loop only. */
    private boolean counted;
    /** {@link System#nanoTime()} when the connection's pipeline was made (just after its accept). */
    private long acceptedAt;

    HandshakeHandler(BusDependencies deps) {
        this(deps, PendingHandshakes.of(deps.config().limits().maxPendingHandshakes(),
                deps.config().timeouts().handshakeTimeout()));
    }

    HandshakeHandler(BusDependencies deps, PendingHandshakes pending) {
        this.deps = deps;
        this.pending = pending;
        ServerConfig config = deps.config();
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.limits().maxFrameSize())
                .allowExtensions(config.listeners().compression())
                .closeOnProtocolViolation(false) // InboundFrameDecoder answers, then reads until the peer leaves
                .build();
        this.origins = new OriginAllowList(config.limits().allowedOrigins());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        acceptedAt = System.nanoTime();
        pending.begin();
        counted = true;
        ctx.channel().closeFuture().addListener(f -> done());
    }

    /** This connection no longer counts as a handshake in progress (once). */
    private void done() {
        if (counted) {
            counted = false;
            pending.end();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            handle(ctx, request);
        } finally {
            request.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (deps.outOfMemory().refusingHandshakes()) {
            deps.metrics().connectionRejected();
            FullHttpResponse response = HttpResponses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"error\":\"Service Unavailable\",\"details\":\"The server is low on memory; try again later\"}");
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
            HttpResponses.sendAndClose(ctx, response);
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            HttpResponses.sendAndClose(ctx, HttpResponses.json(HttpResponseStatus.BAD_REQUEST,
                    "{\"error\":\"Bad Request\",\"details\":\"Malformed HTTP request\"}"));
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            FullHttpResponse response = HttpResponses.json(HttpResponseStatus.UPGRADE_REQUIRED,
                    "{\"error\":\"Upgrade Required\",\"details\":\"This port speaks WebSocket; "
                            + "HTTP endpoints are on the HTTP port\"}");
            response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            HttpResponses.sendAndClose(ctx, response);
            return;
        }
        if (!origins.allows(request.headers().get(HttpHeaderNames.ORIGIN))) {
            deps.metrics().connectionRejected();
            HttpResponses.sendAndClose(ctx, HttpResponses.json(HttpResponseStatus.FORBIDDEN,
                    "{\"error\":\"Forbidden\",\"details\":\"Origin not allowed\"}"));
            return;
        }
        long waited = System.nanoTime() - acceptedAt;
        if (pending.overloaded()) {
            shed(ctx, request, waited, "handshakes_in_progress");
            return;
        }
        if (pending.waitedTooLong(waited)) {
            shed(ctx, request, waited, "handshake_waited");
            return;
        }
        CompletableFuture<AuthResult> auth = deps.authenticator().authenticate(request);
        if (auth.isDone()) {
            authenticated(ctx, request, auth.getNow(null));
            return;
        }
        // A key must be fetched first (JWKS): wait off the loop, read nothing meanwhile, and
        // finish the upgrade on this loop when the answer is in.
        request.retain();
        ctx.channel().config().setAutoRead(false);
        auth.whenComplete((result, error) -> {
            try {
                ctx.executor().execute(() -> {
                    try {
                        if (ctx.channel().isActive()) {
                            ctx.channel().config().setAutoRead(true);
                            authenticated(ctx, request, error == null ? result
                                    : AuthResult.Rejected.invalid("verification failed: " + error));
                        }
                    } finally {
                        request.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                request.release();
            }
        });
    }

    private void authenticated(ChannelHandlerContext ctx, FullHttpRequest request, AuthResult auth) {
        if (auth instanceof AuthResult.Rejected rejected) {
            deps.metrics().connectionRejected();
            log.atDebug()
                    .addKeyValue("event", "auth_rejected")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("details", rejected.details())
                    .addKeyValue("reason", String.valueOf(rejected.reason()).replace('"', '\''))
                    .log("auth_rejected");
            FullHttpResponse response = HttpResponses.json(HttpResponseStatus.UNAUTHORIZED,
                    "{\"error\":\"Unauthorized\",\"details\":\"" + rejected.details() + "\"}");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"arqonbus\"");
            HttpResponses.sendAndClose(ctx, response);
            return;
        }
        Principal principal = ((AuthResult.Accepted) auth).principal();
        Map<String, List<String>> query = query(request.uri());
        WebSocketServerHandshaker handshaker = handshaker(ctx, request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            ctx.close();
            return;
        }
        boolean overLimit = deps.openConnections().incrementAndGet() > deps.config().limits().maxConnections();
        Channel channel = ctx.channel();
        channel.closeFuture().addListener(f -> deps.openConnections().decrementAndGet());
        String subject = principal.subject();
        boolean overSubjectLimit = !deps.connectionsPerSubject().tryOpen(subject);
        if (!overSubjectLimit) {
            channel.closeFuture().addListener(f -> deps.connectionsPerSubject().closed(subject));
        }
        ChannelFuture handshake = answerUpgrade(ctx, handshaker, request);
        if (handshake == null) {
            return;
        }
        InboundFrameDecoder decoder = replaceDecoder(channel);
        handshake.addListener(future -> {
            if (!future.isSuccess()) {
                if (future.cause() instanceof WebSocketServerHandshakeException e && channel.isActive()) {
                    badUpgrade(ctx, e);
                } else {
                    channel.close();
                }
            } else if (overLimit || overSubjectLimit) {
                deps.metrics().connectionRejected();
                done();
                ctx.pipeline().remove(this);
                deps.disconnector().close(channel, CloseCodes.TRY_AGAIN_LATER, overLimit ? "connection limit reached"
                        : "connection limit for this client reached");
            } else {
                upgraded(ctx, principal, query, decoder);
            }
        });
    }

    /** Answers the upgrade request; {@code null} when it was malformed (then answered with 400 and closed). */
    private static ChannelFuture answerUpgrade(ChannelHandlerContext ctx, WebSocketServerHandshaker handshaker,
            FullHttpRequest request) {
        try {
            return handshaker.handshake(ctx.channel(), request);
        } catch (WebSocketServerHandshakeException e) {
            badUpgrade(ctx, e);
            return null;
        }
    }

    /**
     * Sheds the connection: the upgrade is answered (the client learns why only from a close
     * code, and a refused handshake would read as a failure) and closed at once with 1013 and
     * {@link PendingHandshakes#SHED_REASON}; no token check, no session, no count against the
     * connection limits.
     */
    private void shed(ChannelHandlerContext ctx, FullHttpRequest request, long waitedNanos, String reason) {
        done();
        deps.metrics().connectionRejected();
        deps.metrics().limitClose(reason);
        log.atDebug()
                .addKeyValue("event", "handshake_shed")
                .addKeyValue("reason", reason)
                .addKeyValue("remote", ctx.channel().remoteAddress())
                .addKeyValue("in_progress", pending.inProgress())
                .addKeyValue("waited_ms", waitedNanos / 1_000_000)
                .log("handshake_shed");
        WebSocketServerHandshaker handshaker = handshaker(ctx, request);
        Channel channel = ctx.channel();
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            ctx.close();
            return;
        }
        ChannelFuture handshake = answerUpgrade(ctx, handshaker, request);
        if (handshake == null) {
            return;
        }
        replaceDecoder(channel);
        handshake.addListener(future -> {
            if (!future.isSuccess()) {
                channel.close();
                return;
            }
            ctx.pipeline().remove(this);
            deps.disconnector().close(channel, CloseCodes.TRY_AGAIN_LATER, PendingHandshakes.SHED_REASON);
        });
    }

    private WebSocketServerHandshaker handshaker(ChannelHandlerContext ctx, FullHttpRequest request) {
        return new WebSocketServerHandshakerFactory(
                (ctx.pipeline().get(HandlerNames.TLS) != null ? "wss://" : "ws://")
                        + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri(), null, decoderConfig)
                .newHandshaker(request);
    }

    /**
     * Netty's handshaker has put its frame decoder in place: ours takes its place (same settings,
     * plus the close codes it answers with and the bound on unfinished frames).
     */
    private InboundFrameDecoder replaceDecoder(Channel channel) {
        InboundFrameDecoder decoder = new InboundFrameDecoder(decoderConfig, deps.partialInbound(),
                deps.config().memory().receiveTimeout(), deps.disconnector(), deps.metrics());
        if (channel.pipeline().get(HandlerNames.WS_DECODER) != null) {
            channel.pipeline().replace(HandlerNames.WS_DECODER, HandlerNames.WS_DECODER, decoder);
        }
        return decoder;
    }

    /** The decoded query parameters of the upgrade URL; none when they cannot be decoded. */
    private static Map<String, List<String>> query(String uri) {
        try {
            return new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** An upgrade request Netty's handshaker refuses (e.g. no {@code Sec-WebSocket-Key}): 400 JSON. */
    private static void badUpgrade(ChannelHandlerContext ctx, WebSocketServerHandshakeException e) {
        String details = "Invalid WebSocket upgrade request: " + String.valueOf(e.getMessage()).replace("\"", "'");
        HttpResponses.sendAndClose(ctx, HttpResponses.json(HttpResponseStatus.BAD_REQUEST,
                "{\"error\":\"Bad Request\",\"details\":\"" + details + "\"}"));
    }

    private void upgraded(ChannelHandlerContext ctx, Principal principal, Map<String, List<String>> query,
            InboundFrameDecoder decoder) {
        Channel channel = ctx.channel();
        ServerConfig config = deps.config();
        LoopContext loop = deps.loops().of(channel.eventLoop());
        Outbound outbound = new Outbound(channel, loop, config.limits().maxPendingBytes(), config.limits().slowConsumerPolicy(),
                new Outbound.Listener() {
                    @Override
                    public void dropped(int bytes) {
                        deps.metrics().slowConsumerDropped();
                    }

                    @Override
                    public void slowConsumer(Channel ch, long pendingBytes) {
                        deps.metrics().slowConsumerDisconnected();
                        deps.disconnector().closeNow(ch, CloseCodes.SLOW_CONSUMER, "slow consumer");
                    }
                });
        Session session = new Session(channel, loop, outbound, principal, deps.ids().nextClientId(),
                deps.clock().instant());
        outbound.bind(session);
        if (config.permissions() != null) {
            session.grants(Grants.of(config.permissions(), principal));
        }
        if (deps.authenticator().enabled()) {
            TokenExpiry expiry = new TokenExpiry(channel.eventLoop(), deps.clock(), config.auth().jwtClockSkew(), () -> {
                log.atDebug()
                        .addKeyValue("event", "token_expired")
                        .addKeyValue("client", session.clientId())
                        .log("token_expired");
                deps.disconnector().close(channel, CloseCodes.TOKEN_EXPIRED, "token expired");
            });
            session.tokenExpiry(expiry);
            expiry.watch(principal.expiresAt());
            channel.closeFuture().addListener(f -> expiry.stop());
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.replace(this, HandlerNames.KEEPALIVE, new KeepAliveHandler(config.timeouts().keepAliveInterval(),
                config.timeouts().keepAliveTimeout(), outbound, deps.disconnector()));
        pipeline.addAfter(HandlerNames.KEEPALIVE, HandlerNames.FRAMES, new BusFrameHandler(deps, session, decoder));
        if (config.timeouts().idleTimeout().isPositive()) {
            pipeline.addAfter(HandlerNames.KEEPALIVE, HandlerNames.IDLE_TIMEOUT,
                    new IdleTimeoutHandler(config.timeouts().idleTimeout(), deps.disconnector(), deps.metrics()));
        }
        // Prepared frames are whole WebSocket frames: they enter below the frame encoder (behind TLS
        // when the port speaks it) and reach the socket without passing the handlers above it.
        outbound.writeAt(wireContext(pipeline));
        channel.closeFuture().addListener(f -> deps.lifecycle().closed(session));
        deps.lifecycle().opened(session, query);
        done();
    }

    /**
     * Where prepared frames enter the pipeline: writing at a context passes the frame only to the
     * outbound handlers before it. The WebSocket encoder's context stays for the connection's life
     * and has only the TLS handler (when the port speaks TLS) before it that writes, so a prepared
     * frame skips every handler above the wire and still passes through TLS. (The first context is
     * not used: the handshake timeout is first and removes itself, after which writes there would
     * fall back to the whole pipeline.)
     */
    private static ChannelHandlerContext wireContext(ChannelPipeline pipeline) {
        ChannelHandlerContext encoder = pipeline.context(HandlerNames.WS_ENCODER);
        return encoder != null ? encoder : pipeline.firstContext();
    }
}
