package io.arqonbus.bench.load;

import io.arqonbus.bench.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens load-generator connections to a WebSocket endpoint on loopback (or, through
 * {@link #connect(URI, int, BenchConnection.Role, SeqTracker)}, to several): Netty (epoll when
 * available), one WebSocket client handshaker per connection, connections spread round-robin over
 * the local source addresses (127.0.0.2, 127.0.0.3, …) so each address has its own ephemeral port
 * range. The {@code nats} dialect opens plain TCP connections speaking the NATS protocol
 * ({@link NatsCodec}) instead of WebSocket.
 */
public final class LoadClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final URI uri;
    private final InetSocketAddress remote;
    private final Dialect dialect;
    private final List<InetSocketAddress> sources;
    private final StatsBoard board;
    private final String transport;

    public LoadClient(int threads, URI uri, Dialect dialect, List<InetSocketAddress> sources, StatsBoard board) {
        NettyTransport selected = NettyTransport.select();
        this.transport = selected.name();
        this.group = selected.newGroup(threads, "bench-io");
        this.uri = uri;
        this.remote = new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80);
        this.dialect = dialect;
        this.sources = List.copyOf(sources);
        this.board = board;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(selected.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024));
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    public Dialect dialect() {
        return dialect;
    }

    public StatsBoard board() {
        return board;
    }

    /**
     * Starts connection number {@code index}; the returned connection's {@link BenchConnection#ready()}
     * completes after the upgrade and the greeting, or fails.
     */
    public BenchConnection connect(int index, BenchConnection.Role role, SeqTracker tracker) {
        return connect(uri, index, role, tracker);
    }

    /**
     * Starts connection number {@code index} to {@code target} (another loopback server, or
     * another path of the same one) instead of the client's own URI.
     */
    public BenchConnection connect(URI target, int index, BenchConnection.Role role, SeqTracker tracker) {
        BenchConnection connection = new BenchConnection(dialect, role, tracker);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(target)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .handleCloseFrames(false)
                .withUTF8Validator(false)
                .build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connection.attach(board.of(ch.eventLoop()));
                if (dialect.nats()) {
                    ch.pipeline().addLast(new NatsCodec(), connection);
                    return;
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(config), connection);
            }
        });
        InetSocketAddress to = target.equals(uri) ? remote
                : new InetSocketAddress(target.getHost(), target.getPort() > 0 ? target.getPort() : 80);
        ChannelFuture future = sources.isEmpty()
                ? b.connect(to)
                : b.connect(to, sources.get(Math.floorMod(index, sources.size())));
        future.addListener(f -> {
            if (!f.isSuccess()) {
                connection.connectFailed(f.cause());
            }
        });
        return connection;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
