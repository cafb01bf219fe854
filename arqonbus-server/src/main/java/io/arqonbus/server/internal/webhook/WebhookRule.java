package io.arqonbus.server.internal.webhook;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.pattern.Glob;
import io.arqonbus.server.internal.session.Session;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One {@code op.webhook.register} rule: where to POST, which publications match, whose it is.
 * Immutable but for its statistics and its {@link #active()} flag.
 *
 * <p>Matching: {@code room} exact, {@code channel} a glob when it holds {@code *} or {@code ?}
 * (else exact); an absent field matches anything, a rule with a {@code channel} never matches a
 * room broadcast. A rule of a connection with a tenant matches only publications sent by
 * connections of the same tenant; a rule of a connection whose channel permissions are configured
 * matches only channels its owner may subscribe to.
 *
 * <p>Where it came from ({@link Origin}): a connection's rule goes with its connection; a durable
 * rule (an admin's {@code "durable":true}) outlives it and, with a durable store, restarts; a rule
 * of the configuration file belongs to no connection and is never unregistered by clients.
 */
public final class WebhookRule {
    /** Where a rule came from. */
    public enum Origin {
        /** {@code op.webhook.register}: gone with its connection. */
        CONNECTION,
        /** {@code op.webhook.register} with {@code durable:true}: outlives its connection, kept by a durable store. */
        DURABLE,
        /** The configuration file's {@code webhooks:}. */
        CONFIG;

        /** Its name on the wire. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final URI url;
    private final Session owner;
    private final String ownerClientId;
    private final String ownerSubject;
    private final Origin origin;
    private final String tenant;
    private final String room;
    private final String channel;
    private final boolean channelGlob;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Instant createdAt;
    private final String secret;
    private final Grants grants;
    private final WebhookStats stats = new WebhookStats();
    private volatile boolean active = true;

    /**
     * @param grants what the owner may subscribe to (a private copy: it is used from other threads
     *               under its own monitor), or {@link Grants#ALL}
     */
    public WebhookRule(String id, URI url, Session owner, String tenant, String room, String channel,
            Map<String, String> headers, Duration timeout, Instant createdAt, String secret, Grants grants) {
        this(id, url, owner, owner.clientId(), owner.principal().subject(), Origin.CONNECTION, tenant, room, channel,
                headers, timeout, createdAt, secret, grants);
    }

    /**
     * @param owner         the connection that registered it, or {@code null} (restored, or from the file)
     * @param ownerClientId the client id that registered it, or {@code null} (from the file)
     * @param ownerSubject  its token subject, or {@code null}
     */
    public WebhookRule(String id, URI url, Session owner, String ownerClientId, String ownerSubject, Origin origin,
            String tenant, String room, String channel, Map<String, String> headers, Duration timeout,
            Instant createdAt, String secret, Grants grants) {
        this.id = id;
        this.url = url;
        this.owner = owner;
        this.ownerClientId = ownerClientId;
        this.ownerSubject = ownerSubject;
        this.origin = origin;
        this.tenant = tenant;
        this.room = room;
        this.channel = channel;
        this.channelGlob = channel != null && (channel.indexOf('*') >= 0 || channel.indexOf('?') >= 0);
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.createdAt = createdAt;
        this.secret = secret;
        this.grants = grants;
    }

    /** Whether this rule takes the publication {@code envelope} sent by {@code sender} (null: the server). */
    boolean matches(Envelope envelope, Session sender) {
        if (!active || envelope.room() == null) {
            return false;
        }
        if (room != null && !room.equals(envelope.room())) {
            return false;
        }
        if (channel != null) {
            String published = envelope.channel();
            if (published == null || !(channelGlob ? Glob.matches(channel, published) : channel.equals(published))) {
                return false;
            }
        }
        if (tenant != null && (sender == null || !tenant.equals(sender.principal().tenantId()))) {
            return false;
        }
        if (grants != Grants.ALL) {
            ChannelKey key = envelope.channel() == null ? ChannelKey.roomWide(envelope.room())
                    : ChannelKey.of(envelope.room(), envelope.channel());
            synchronized (grants) {
                return grants.allows(ChannelAction.SUBSCRIBE, key);
            }
        }
        return true;
    }

    public String id() { return id; }
    public URI url() { return url; }
    /** The connection that registered it, or {@code null} when it has none (restored, or from the file). */
    public Session owner() { return owner; }
    /** The client id that registered it, or {@code null} for a rule of the file. */
    public String ownerClientId() { return ownerClientId; }
    /** The token subject of who registered it, or {@code null}. */
    public String ownerSubject() { return ownerSubject; }
    public Origin origin() { return origin; }
    /** Whether it outlives its connection (durable or from the file). */
    public boolean outlivesConnection() { return origin != Origin.CONNECTION; }
    public String tenant() { return tenant; }
    public String room() { return room; }
    public String channel() { return channel; }
    public Map<String, String> headers() { return headers; }
    public Duration timeout() { return timeout; }
    public Instant createdAt() { return createdAt; }
    String secret() { return secret; }
    public WebhookStats stats() { return stats; }
    /** False once unregistered; deliveries still queued for it are then dropped. */
    public boolean active() { return active; }

    void deactivate() {
        active = false;
    }
}
