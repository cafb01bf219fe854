package io.arqonbus.bench.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll when the library loads, NIO otherwise, for both the floor server and the load generator. */
public record NettyTransport(String name, IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> clientChannel) {

    /** Epoll when available, else NIO. */
    public static NettyTransport select() {
        if (Epoll.isAvailable()) {
            return new NettyTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class);
        }
        return new NettyTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class);
    }

    /** A new event loop group with named daemon threads. */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
    }
}
