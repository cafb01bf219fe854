package io.arqonbus.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real server, for tests that need the network to fail at
 * an exact moment: {@link #holdReplies()} keeps what the server sends (read, not forwarded), and
 * {@link #cut()} closes every proxied connection without a close frame (the client sees 1006).
 */
final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean holding;
    private volatile boolean closed;

    LoopbackProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** {@code uri} with the proxy's port. */
    URI front(URI uri) {
        return URI.create(uri.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** From now on the server's bytes are read but not forwarded to the client. */
    synchronized void holdReplies() {
        holding = true;
    }

    /** Closes every proxied connection (held bytes are lost); later connections are forwarded normally. */
    void cut() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
        synchronized (this) {
            holding = false;
            notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().name("proxy-up").start(() -> pump(client, server, false));
                Thread.ofVirtual().name("proxy-down").start(() -> pump(server, client, true));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (replies && !waitWhileHeld(to)) {
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side or cut() closed it
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Waits while replies are held; {@code false} when the connection was cut meanwhile. */
    private synchronized boolean waitWhileHeld(Socket to) {
        while (holding && !to.isClosed()) {
            try {
                wait(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !to.isClosed();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cut();
    }
}
