package io.arqonbus.server.internal.tls;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.TlsConfig;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS, made once at start from the PEM files of a {@link TlsConfig}: TLS 1.3
 * and 1.2 only, the JDK's provider and cipher suites. A key that does not belong to the
 * certificate is found here, by a handshake in memory, not by the first client.
 */
public final class ServerTls {
    /** The protocol versions offered. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final TlsConfig config;
    private final SslContext context;

    private ServerTls(TlsConfig config, SslContext context) {
        this.config = config;
        this.context = context;
    }

    /**
     * Reads the certificate chain and key.
     *
     * @throws ConfigException when a file is not a PEM certificate chain or PKCS#8 key, the key
     *                         does not fit the certificate, or the password is wrong
     */
    public static ServerTls create(TlsConfig config) {
        try {
            SslContext context = SslContextBuilder
                    .forServer(new File(config.certFile()), new File(config.keyFile()), config.keyPassword())
                    .protocols(PROTOCOLS)
                    .build();
            KeyFitCheck.run(context);
            return new ServerTls(config, context);
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("TLS: cannot use certificate " + config.certFile() + " with key "
                    + config.keyFile() + " (expected: a PEM certificate chain and its PKCS#8 private key"
                    + (config.keyPassword() == null ? "" : " and the key's password") + "): " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Whether the port speaks TLS. */
    public boolean covers(TlsConfig.Port port) {
        return config.covers(port);
    }

    /** {@code initializer} behind a TLS handler when the port speaks TLS, else {@code initializer} itself. */
    public ChannelHandler wrap(TlsConfig.Port port, ChannelHandler initializer) {
        return covers(port) ? new TlsChannelInitializer(context, initializer) : initializer;
    }
}
