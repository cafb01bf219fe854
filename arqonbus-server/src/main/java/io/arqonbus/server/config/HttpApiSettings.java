package io.arqonbus.server.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP API under {@code /api/} of the HTTP port (docs/http-api.md).
 *
 * @param keys          the API keys; empty: with auth off, anyone may read and publish (not administer)
 * @param ratePerSecond requests one key (or the anonymous caller, or one admin token's subject) may make a
 *                      second, on average
 * @param burst         requests one key may make at once
 * @param maxBodyBytes  the largest request body
 */
public record HttpApiSettings(List<ApiKey> keys, int ratePerSecond, int burst, int maxBodyBytes) {
    /** Default rate per key: {@value} requests a second. */
    public static final int DEFAULT_RATE_PER_SECOND = 100_000;
    /** Default burst per key: {@value} requests. */
    public static final int DEFAULT_BURST = 100_000;
    /** Default largest body: {@value} bytes (the default max message size). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public HttpApiSettings {
        keys = List.copyOf(keys);
        Set<String> names = new HashSet<>();
        for (ApiKey key : keys) {
            ConfigException.check(names.add(key.name()), "API key %s is declared twice", key.name());
        }
        ConfigException.check(ratePerSecond > 0, "API rate limit: %d (expected: > 0)", ratePerSecond);
        ConfigException.check(burst > 0, "API burst: %d (expected: > 0)", burst);
        ConfigException.check(maxBodyBytes >= 1024 && maxBodyBytes <= 64 * 1024 * 1024,
                "API max body: %d bytes (expected: 1024 to 67108864)", maxBodyBytes);
    }

    /** The defaults: no keys. */
    public static HttpApiSettings defaults() {
        return new HttpApiSettings(List.of(), DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, DEFAULT_MAX_BODY_BYTES);
    }

    public HttpApiSettings withKeys(List<ApiKey> v) {
        return new HttpApiSettings(v, ratePerSecond, burst, maxBodyBytes);
    }

    public HttpApiSettings withRatePerSecond(int v) {
        return new HttpApiSettings(keys, v, burst, maxBodyBytes);
    }

    public HttpApiSettings withBurst(int v) {
        return new HttpApiSettings(keys, ratePerSecond, v, maxBodyBytes);
    }

    public HttpApiSettings withMaxBodyBytes(int v) {
        return new HttpApiSettings(keys, ratePerSecond, burst, v);
    }
}
