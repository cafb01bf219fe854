package io.arqonbus.server.internal.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Proves at start that the private key belongs to the certificate, by one TLS handshake in
 * memory against the server's own context (a client that trusts any certificate but still checks
 * the server's signature). Without it a mismatched pair would start and then fail every handshake.
 */
final class KeyFitCheck {
    /** Handshake rounds before giving up; a TLS 1.3 or 1.2 handshake needs a handful. */
    private static final int MAX_ROUNDS = 64;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private KeyFitCheck() {
    }

    /** @throws SSLException when the handshake fails (the key does not sign for the certificate) */
    static void run(SslContext server) throws SSLException {
        SslContext clientContext = SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols(ServerTls.PROTOCOLS).build();
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "localhost", 443);
        SSLEngine srv = server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            int packet = Math.max(client.getSession().getPacketBufferSize(), srv.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(),
                    srv.getSession().getApplicationBufferSize());
            ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
            ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
            ByteBuffer sink = ByteBuffer.allocate(4 * app);
            client.beginHandshake();
            srv.beginHandshake();
            for (int round = 0; round < MAX_ROUNDS; round++) {
                if (finished(client) && finished(srv)) {
                    return;
                }
                step(client, toServer, srv, sink);
                step(srv, toClient, client, sink);
            }
            throw new SSLException("a test handshake did not finish in " + MAX_ROUNDS + " rounds");
        } finally {
            client.closeOutbound();
            srv.closeOutbound();
            io.netty.util.ReferenceCountUtil.release(client);
            io.netty.util.ReferenceCountUtil.release(srv);
        }
    }

    /** {@code from} writes what it has to send; {@code to} reads it. */
    private static void step(SSLEngine from, ByteBuffer wire, SSLEngine to, ByteBuffer sink) throws SSLException {
        from.wrap(EMPTY, wire);
        runTasks(from);
        wire.flip();
        while (wire.hasRemaining()) {
            sink.clear();
            int before = wire.remaining();
            to.unwrap(wire, sink);
            runTasks(to);
            if (wire.remaining() == before) {
                break;
            }
        }
        wire.compact();
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static boolean finished(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
