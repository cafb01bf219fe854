package io.arqonbus.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whether a JWT is required at the handshake, and how tokens are verified. When auth is on, the
 * settings must name exactly one way to verify tokens that fits the algorithm.
 *
 * @param enabled                whether JWT authentication is required at the handshake
 * @param jwtAlgorithm           the algorithm every token must name in its header ({@link #JWT_ALGORITHMS})
 * @param jwtSecret              the JWT HMAC secret, or {@code null}
 * @param jwtPublicKeyFile       the PEM file with the public key (or certificate) that verifies RS/ES tokens, or {@code null}
 * @param jwksUrl                the URL of the JWKS document whose keys verify RS/ES tokens, or {@code null}
 * @param jwtIssuer              the {@code iss} every token must carry, or {@code null} for any
 * @param jwtAudience            the value every token's {@code aud} must contain, or {@code null} for any
 * @param jwtClockSkew           tolerance for {@code exp}, {@code nbf} and {@code iat}; a connection closes at {@code exp} plus this
 * @param jwksRefreshInterval    interval between periodic JWKS fetches
 * @param jwksMinRefetchInterval shortest time between two JWKS fetches caused by an unknown {@code kid}
 */
public record AuthSettings(boolean enabled, String jwtAlgorithm, String jwtSecret, String jwtPublicKeyFile,
        String jwksUrl, String jwtIssuer, String jwtAudience, Duration jwtClockSkew, Duration jwksRefreshInterval,
        Duration jwksMinRefetchInterval) {
    /** Default JWT algorithm: {@value}. */
    public static final String DEFAULT_JWT_ALGORITHM = "HS256";
    /** The JWT algorithms the server verifies: HMAC with a shared secret, RSA and ECDSA with a public key. */
    public static final List<String> JWT_ALGORITHMS =
            List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
    /** Default tolerance for {@code exp}, {@code nbf} and {@code iat} against the server's clock: 30 s. */
    public static final Duration DEFAULT_JWT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default interval between two periodic fetches of the JWKS document: 5 min. */
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofMinutes(5);
    /** Default shortest time between two JWKS fetches caused by tokens with an unknown {@code kid}: 10 s. */
    public static final Duration DEFAULT_JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);

    /** @throws ConfigException when auth is on and the settings do not name one way to verify tokens */
    public AuthSettings {
        Objects.requireNonNull(jwtAlgorithm, "jwtAlgorithm");
        Objects.requireNonNull(jwtClockSkew, "jwtClockSkew");
        Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
        Objects.requireNonNull(jwksMinRefetchInterval, "jwksMinRefetchInterval");
        if (enabled) {
            check(jwtAlgorithm, jwtSecret, jwtPublicKeyFile, jwksUrl, jwtClockSkew, jwksRefreshInterval,
                    jwksMinRefetchInterval);
        }
    }

    /** How tokens are verified, for the authenticator. */
    public JwtSettings jwt() {
        return new JwtSettings(jwtAlgorithm, jwtSecret, jwtPublicKeyFile == null ? null : Path.of(jwtPublicKeyFile),
                jwksUrl == null ? null : URI.create(jwksUrl), jwtIssuer, jwtAudience, jwtClockSkew,
                jwksRefreshInterval, jwksMinRefetchInterval);
    }

    private static void check(String algorithm, String secret, String publicKeyFile, String jwksUrl,
            Duration clockSkew, Duration refresh, Duration minRefetch) {
        ConfigException.check(JWT_ALGORITHMS.contains(algorithm),
                "JWT algorithm: %s (expected: one of %s; 'none' is never accepted)", algorithm,
                String.join(", ", JWT_ALGORITHMS));
        ConfigException.check(!clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(10)) <= 0,
                "JWT clock skew: %s (expected: 0 to 600 seconds)", clockSkew);
        if (algorithm.startsWith("HS")) {
            ConfigException.check(secret != null && !secret.isEmpty(),
                    "auth is enabled but no JWT secret is set (ARQONBUS_AUTH_JWT_SECRET)");
            ConfigException.check(publicKeyFile == null && jwksUrl == null,
                    "JWT algorithm %s verifies with the shared secret; a public key file or JWKS URL is only for "
                            + "RS*, ES* algorithms (unset ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE / ARQONBUS_AUTH_JWKS_URL "
                            + "or set ARQONBUS_AUTH_JWT_ALGORITHM)", algorithm);
            return;
        }
        ConfigException.check(secret == null,
                "JWT algorithm %s verifies with a public key, never with ARQONBUS_AUTH_JWT_SECRET: unset the secret",
                algorithm);
        ConfigException.check(publicKeyFile != null || jwksUrl != null,
                "JWT algorithm %s needs a public key: set ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL",
                algorithm);
        ConfigException.check(publicKeyFile == null || jwksUrl == null,
                "set either ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL, not both");
        if (publicKeyFile != null) {
            Path path = Path.of(publicKeyFile);
            ConfigException.check(Files.isRegularFile(path) && Files.isReadable(path),
                    "JWT public key file: %s (expected: a readable PEM file)", publicKeyFile);
        }
        if (jwksUrl != null) {
            URI uri;
            try {
                uri = new URI(jwksUrl);
            } catch (URISyntaxException e) {
                throw new ConfigException("JWKS URL: " + jwksUrl + " (expected: an http or https URL)");
            }
            ConfigException.check(uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme())
                            || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null,
                    "JWKS URL: %s (expected: an http or https URL)", jwksUrl);
            ConfigException.check(refresh.compareTo(Duration.ofSeconds(1)) >= 0,
                    "JWKS refresh interval: %s (expected: >= 1 second)", refresh);
            ConfigException.check(!minRefetch.isNegative(),
                    "JWKS minimum refetch interval: %s (expected: >= 0)", minRefetch);
        }
    }
}
