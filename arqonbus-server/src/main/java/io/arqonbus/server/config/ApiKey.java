package io.arqonbus.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One HTTP API key (docs/http-api.md). Only the SHA-256 digest of the secret is kept; a presented key
 * is hashed and compared with every configured digest in constant time.
 *
 * <p>Written in settings as {@code NAME:SCOPE[:TENANT]=SECRET}, where {@code SECRET} is the key itself
 * (at least 16 characters) or {@code sha256:<64 hex digits>}, its digest, so that the configuration
 * need not hold the key.
 *
 * @param name   a name for logs and sender ids (letters, digits, {@code . _ -}, 1-64)
 * @param scope  what the key may do
 * @param tenant the tenant the key is confined to, or {@code null} for none
 * @param digest the SHA-256 digest of the secret (32 bytes)
 */
public record ApiKey(String name, ApiScope scope, String tenant, byte[] digest) {
    /** The shortest secret accepted in clear: {@value} characters. */
    public static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String HASH_PREFIX = "sha256:";

    public ApiKey {
        Objects.requireNonNull(scope, "scope");
        ConfigException.check(name != null && NAME.matcher(name).matches(),
                "API key name: '%s' (expected: 1-64 letters, digits, '.', '_' or '-')", name);
        ConfigException.check(tenant == null || NAME.matcher(tenant).matches(),
                "API key %s: tenant '%s' (expected: 1-64 letters, digits, '.', '_' or '-')", name, tenant);
        ConfigException.check(digest != null && digest.length == 32, "API key %s: the digest must be 32 bytes", name);
        digest = digest.clone();
    }

    /** The digest, a copy. */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Whether {@code presented} is this key's secret; takes the same time whatever it is. */
    public boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    /** The SHA-256 digest of a presented secret. */
    public static byte[] digestOf(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Reads {@code NAME:SCOPE[:TENANT]=SECRET}.
     *
     * @throws ConfigException naming what is wrong (never the secret)
     */
    public static ApiKey parse(String entry) {
        int eq = entry.indexOf('=');
        ConfigException.check(eq > 0, "API key entry '%s' (expected: NAME:SCOPE[:TENANT]=SECRET)",
                eq < 0 ? entry : entry.substring(0, eq));
        String[] head = entry.substring(0, eq).trim().split(":", -1);
        String secret = entry.substring(eq + 1).trim();
        ConfigException.check(head.length == 2 || head.length == 3,
                "API key entry '%s' (expected: NAME:SCOPE[:TENANT]=SECRET)", entry.substring(0, eq));
        ApiScope scope = ApiScope.parse(head[1]);
        ConfigException.check(scope != null, "API key %s: scope '%s' (expected: read, publish or admin)", head[0],
                head[1]);
        String tenant = head.length == 3 && !head[2].isBlank() ? head[2].trim() : null;
        byte[] digest;
        if (secret.regionMatches(true, 0, HASH_PREFIX, 0, HASH_PREFIX.length())) {
            String hex = secret.substring(HASH_PREFIX.length());
            ConfigException.check(hex.matches("[0-9a-fA-F]{64}"),
                    "API key %s: '%s…' (expected: 64 hex digits after sha256:)", head[0], HASH_PREFIX);
            digest = HexFormat.of().parseHex(hex);
        } else {
            ConfigException.check(secret.length() >= MIN_SECRET_LENGTH,
                    "API key %s: the secret is shorter than %d characters", head[0], MIN_SECRET_LENGTH);
            digest = digestOf(secret);
        }
        return new ApiKey(head[0].trim(), scope, tenant, digest);
    }

    /** {@code NAME:SCOPE[:TENANT]=sha256:…}, never the secret. */
    @Override
    public String toString() {
        return name + ":" + scope.wireName() + (tenant == null ? "" : ":" + tenant) + "=sha256:"
                + HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other && name.equals(other.name) && scope == other.scope
                && Objects.equals(tenant, other.tenant) && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scope, tenant);
    }
}
