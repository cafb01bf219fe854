package io.arqonbus.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the Redis (or Valkey) history store lives and how the server talks to it.
 *
 * @param backend        {@code redis} or {@code valkey}: the name {@code status} and logs show
 * @param host           host name or address
 * @param port           TCP port
 * @param username       ACL user name, or {@code null}
 * @param password       password, or {@code null}
 * @param ssl            whether to connect with TLS
 * @param database       database number
 * @param keyPrefix      prefix of every key the store writes (lets servers share a Redis)
 * @param commandTimeout how long one command may take before it fails (and an append is refused)
 */
public record RedisConfig(String backend, String host, int port, String username, String password, boolean ssl,
        int database, String keyPrefix, Duration commandTimeout) {

    /** Default port: {@value}. */
    public static final int DEFAULT_PORT = 6379;
    /** Default key prefix: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "arqonbus:";
    /** Default command timeout. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    public RedisConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (host == null || host.isBlank()) {
            throw new ConfigException("redis host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("redis port: " + port + " (expected: 1-65535)");
        }
        if (database < 0) {
            throw new ConfigException("redis database: " + database + " (expected: >= 0)");
        }
        if (!commandTimeout.isPositive()) {
            throw new ConfigException("redis timeout: " + commandTimeout + " (expected: > 0)");
        }
    }

    /** Redis on {@code host:port}, no password, no TLS, database 0, default prefix and timeout. */
    public static RedisConfig of(String host, int port) {
        return new RedisConfig("redis", host, port, null, null, false, 0, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Parses {@code redis://[[user]:password@]host[:port][/database]} ({@code rediss://} for TLS;
     * {@code valkey://} and {@code valkeys://} are accepted as the same).
     *
     * @throws ConfigException naming {@code name} when the URL is not of that form
     */
    public static RedisConfig parseUrl(String name, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(name + ": '" + redact(url) + "' is not a URL (expected: redis://host:port)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ssl = switch (scheme) {
            case "redis", "valkey" -> false;
            case "rediss", "valkeys" -> true;
            default -> throw new ConfigException(name + ": '" + redact(url)
                    + "' (expected: a redis://, rediss://, valkey:// or valkeys:// URL)");
        };
        if (uri.getHost() == null) {
            throw new ConfigException(name + ": '" + redact(url) + "' has no host (expected: redis://host:port)");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String user = colon < 0 ? info : info.substring(0, colon);
            username = user.isEmpty() || colon < 0 ? null : decode(user);
            password = decode(colon < 0 ? info : info.substring(colon + 1));
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new ConfigException(name + ": '" + redact(url) + "' (expected: a database number after the '/')");
            }
        }
        return new RedisConfig("redis", uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), username,
                password, ssl, database, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT);
    }

    /** The same with another backend name. */
    public RedisConfig withBackend(String value) {
        return new RedisConfig(value, host, port, username, password, ssl, database, keyPrefix, commandTimeout);
    }

    /** The same with another key prefix. */
    public RedisConfig withKeyPrefix(String value) {
        return new RedisConfig(backend, host, port, username, password, ssl, database, value, commandTimeout);
    }

    /** The same with another command timeout. */
    public RedisConfig withCommandTimeout(Duration value) {
        return new RedisConfig(backend, host, port, username, password, ssl, database, keyPrefix, value);
    }

    /** The same with another password. */
    public RedisConfig withPassword(String value) {
        return new RedisConfig(backend, host, port, username, value, ssl, database, keyPrefix, commandTimeout);
    }

    /** The same with TLS on or off. */
    public RedisConfig withSsl(boolean value) {
        return new RedisConfig(backend, host, port, username, password, value, database, keyPrefix, commandTimeout);
    }

    /** {@code redis://host:port/db} with the password masked, for logs and {@code check-config}. */
    public String display() {
        String auth = password == null ? "" : (username == null ? "" : username) + ":********@";
        return (ssl ? "rediss://" : "redis://") + auth + host + ":" + port + (database == 0 ? "" : "/" + database);
    }

    /** {@code host:port}, for health reasons. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return display();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//********@");
    }
}
