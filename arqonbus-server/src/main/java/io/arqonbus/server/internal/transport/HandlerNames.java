package io.arqonbus.server.internal.transport;

/** The names of every handler in the bus, telemetry and HTTP pipelines, in pipeline order. */
public final class HandlerNames {
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String WS_COMPRESSION = "ws-compression";
    public static final String HANDSHAKE = "handshake";
    /** Added by Netty's handshaker in place of the HTTP codec. */
    public static final String WS_DECODER = "wsdecoder";
    /** Added by Netty's handshaker in place of the HTTP codec. */
    public static final String WS_ENCODER = "wsencoder";
    public static final String KEEPALIVE = "keepalive";
    public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";
    public static final String IDLE_TIMEOUT = "idle-timeout";
    public static final String FRAMES = "frames";
    public static final String TELEMETRY_FRAMES = "telemetry-frames";
    public static final String HTTP_API = "http-api";
    /** HTTP port: keep-alive bookkeeping, after {@link #HTTP_CODEC}. */
    public static final String HTTP_KEEPALIVE = "http-keepalive";
    /** HTTP port: idle timeout, after {@link #HTTP_KEEPALIVE}. */
    public static final String HTTP_IDLE = "http-idle";
    public static final String EXCEPTION = "exception";
    /** The TLS handler, first in the pipeline of a port that speaks TLS. */
    public static final String TLS = "tls";

    private HandlerNames() {
    }
}
