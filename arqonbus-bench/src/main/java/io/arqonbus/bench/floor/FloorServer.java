package io.arqonbus.bench.floor;

import io.arqonbus.bench.net.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The floor: the smallest Netty WebSocket broadcast server, speaking just enough of the ArqonBus
 * protocol for the load generator (welcome, {@code join_channel} → {@code response}, forward each
 * message frame verbatim to the other members of its {@code room:channel}). No history, no
 * validation, no metrics. Any WebSocket path is accepted. In {@link FloorMode#PATH} it routes by
 * the connection's URL path instead and never looks inside a frame.
 *
 * <p>Run it with {@code java -cp arqonbus-bench.jar io.arqonbus.bench.floor.FloorServer --port 9200},
 * or {@code arqon bench floor --port 9200}.
 */
public final class FloorServer implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final String transport;

    private FloorServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, String transport) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.transport = transport;
    }

    /**
     * Binds the floor on a loopback {@code host} and {@code port} (0 = a free port) with
     * {@code ioThreads} event loops; returns when it accepts connections.
     */
    public static FloorServer start(String host, int port, int ioThreads) throws InterruptedException {
        return start(host, port, ioThreads, FloorMode.SCAN);
    }

    /**
     * The same in {@code mode}: {@link FloorMode#SCAN} (the frames name their group) or
     * {@link FloorMode#PATH} (the connection's URL path does, and frames are not looked into).
     */
    public static FloorServer start(String host, int port, int ioThreads, FloorMode mode) throws InterruptedException {
        NettyTransport transport = NettyTransport.select();
        EventLoopGroup boss = transport.newGroup(1, "floor-accept");
        EventLoopGroup workers = transport.newGroup(Math.max(1, ioThreads), "floor-io");
        Groups groups = new Groups();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_FRAME)
                .allowExtensions(false)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(ws),
                                mode == FloorMode.PATH ? new PathFloorHandler(groups) : new FloorHandler(groups));
                    }
                });
        try {
            Channel listener = bootstrap.bind(host, port).sync().channel();
            return new FloorServer(boss, workers, listener, transport.name());
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The bound address (the real port when started on 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /** Blocks until the listener closes (for the command line; ends with the process). */
    public void awaitClose() throws InterruptedException {
        listener.closeFuture().sync();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Standalone entry point: {@code --port}, {@code --io-threads}, {@code --host} (loopback). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new FloorCommand()).execute(args));
    }
}
