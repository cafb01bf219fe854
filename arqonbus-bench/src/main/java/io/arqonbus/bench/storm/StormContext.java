package io.arqonbus.bench.storm;

import io.arqonbus.bench.net.NettyTransport;
import io.arqonbus.client.ReconnectPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * What the storm's clients share: the event loops, the servers, each client's token, the backoff,
 * the tally, and the two switches — armed (a lost connection is now the storm: retry) and
 * stopped (the run is over: retry nothing).
 */
final class StormContext implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<URI> uris;
    private final List<InetSocketAddress> sources;
    private final IntFunction<String> tokens;
    private final ReconnectPolicy policy;
    private final String room;
    private final String run;
    private final String transport;
    private final StormTally tally = new StormTally();
    private final AtomicLong firstDrop = new AtomicLong();
    private volatile boolean armed;
    private volatile boolean stopped;

    /**
     * @param tokens the token of client i, or null for none
     */
    StormContext(int threads, List<URI> uris, List<InetSocketAddress> sources, IntFunction<String> tokens,
            ReconnectPolicy policy, String room, String run) {
        NettyTransport selected = NettyTransport.select();
        this.transport = selected.name();
        this.group = selected.newGroup(threads, "storm-io");
        this.uris = List.copyOf(uris);
        this.sources = List.copyOf(sources);
        this.tokens = tokens;
        this.policy = policy;
        this.room = room;
        this.run = run;
        this.bootstrap = new Bootstrap().group(group).channel(selected.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /** How many servers the clients are spread over (the nodes of a cluster, or one). */
    int servers() {
        return uris.size();
    }

    /**
     * Opens one connection for client {@code index} to server {@code server} (an index into the
     * URLs) with {@code handler} last in its pipeline.
     */
    ChannelFuture connect(int index, int server, StormClient.Attempt handler) {
        URI uri = uris.get(server);
        InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
        HttpHeaders headers = new DefaultHttpHeaders();
        String token = tokens == null ? null : tokens.apply(index);
        if (token != null) {
            headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .customHeaders(headers)
                .handleCloseFrames(false)
                .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(config), handler);
            }
        });
        return sources.isEmpty() ? b.connect(remote) : b.connect(remote, sources.get(Math.floorMod(index, sources.size())));
    }

    /** From now on a lost connection is part of the storm and is retried. */
    void arm() {
        armed = true;
    }

    boolean armed() {
        return armed;
    }

    /** Nothing is retried any more. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** A client lost its connection at {@code nanos}; the first one starts the storm's clock. */
    void dropped(long nanos) {
        firstDrop.compareAndSet(0, nanos);
    }

    /** When the first client lost its connection ({@link System#nanoTime()}), or 0. */
    long firstDrop() {
        return firstDrop.get();
    }

    EventLoopGroup group() {
        return group;
    }

    ReconnectPolicy policy() {
        return policy;
    }

    StormTally tally() {
        return tally;
    }

    String room() {
        return room;
    }

    String run() {
        return run;
    }

    String transport() {
        return transport;
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
