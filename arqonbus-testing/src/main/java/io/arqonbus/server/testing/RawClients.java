package io.arqonbus.server.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Raw Netty WebSocket clients for a test class: one small event loop group for all of them,
 * every socket closed after each test. Register after the server's extension:
 *
 * <pre>{@code
 * @RegisterExtension @Order(2)
 * static final RawClients raw = new RawClients(server);
 * }</pre>
 */
public final class RawClients implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final ArqonBusExtension server;
    private final List<RawWebSocket> sockets = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;

    public RawClients(ArqonBusExtension server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    /** A raw socket to the bus, handshake done, nothing read yet. */
    public RawWebSocket connect() {
        return connect(server.wsUri(), RawWebSocket.Options.defaults());
    }

    /** A raw socket to the bus with these options. */
    public RawWebSocket connect(RawWebSocket.Options options) {
        return connect(server.wsUri(), options);
    }

    /** A raw socket to any WebSocket URI. */
    public RawWebSocket connect(URI uri, RawWebSocket.Options options) {
        RawWebSocket ws = RawWebSocket.connect(group, uri, options);
        sockets.add(ws);
        return ws;
    }

    /** A raw socket whose welcome was already read. */
    public RawWebSocket connectWelcomed() throws Exception {
        RawWebSocket ws = connect();
        ws.await(f -> f.path("payload").has("welcome"), ArqonBusExtension.TIMEOUT);
        return ws;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (RawWebSocket ws : sockets) {
            ws.close();
        }
        sockets.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        afterEach(context);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
