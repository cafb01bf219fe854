package io.arqonbus.server.internal.runtime;

import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.TlsConfig;
import io.arqonbus.server.internal.tls.ServerTls;
import io.arqonbus.server.internal.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and the listening ports of a bus. Creating it starts the accept and I/O loops
 * and registers their stop; each {@link #bind} registers the port's close with the given priority.
 * Socket options come from the configuration (backlog, write-buffer water marks).
 */
final class Listeners {
    private static final long CLOSE_WAIT_SECONDS = 2;

    private final ServerConfig config;
    private final ShutdownHooks hooks;
    private final Transports transports;
    private final ServerTls tls;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ByteBufAllocator allocator;

    Listeners(ServerConfig config, ShutdownHooks hooks, ByteBufAllocator allocator) {
        this.config = config;
        this.allocator = allocator;
        this.hooks = hooks;
        this.transports = Transports.select(config.listeners().nativeTransport());
        this.boss = transports.newGroup(1, "arqonbus-accept");
        hooks.add(ShutdownHooks.Priority.EVENT_LOOPS, "accept loop", () -> stopGroup(boss));
        this.workers = transports.newGroup(config.listeners().ioThreads(), "arqonbus-io");
        hooks.add(ShutdownHooks.Priority.EVENT_LOOPS, "I/O loops", () -> stopGroup(workers));
        this.tls = config.tls() == null ? null : ServerTls.create(config.tls());
    }

    /** The transport's name ({@code epoll}, {@code nio}, …). */
    String transportName() {
        return transports.name();
    }

    /** The I/O event loops. */
    EventLoopGroup workers() {
        return workers;
    }

    /**
     * Binds one port (behind TLS when the configuration says this port speaks it) and registers
     * its close.
     *
     * @throws IllegalStateException when the port cannot be bound (in use, no such address)
     */
    InetSocketAddress bind(TlsConfig.Port which, String host, int port, ChannelHandler initializer,
            ShutdownHooks.Priority closeAt) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.listeners().soBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.listeners().writeBufferLow(), config.listeners().writeBufferHigh()))
                .childHandler(tls == null ? initializer : tls.wrap(which, initializer));
        Channel channel;
        try {
            channel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        hooks.add(closeAt, which.wireName() + " port",
                () -> channel.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS));
        return (InetSocketAddress) channel.localAddress();
    }

    private static void stopGroup(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
