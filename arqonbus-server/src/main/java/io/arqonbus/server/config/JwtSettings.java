package io.arqonbus.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How tokens are verified: the one algorithm every token must name, where its key comes from
 * (a shared secret for HS*, a PEM public key or a JWKS URL for RS*, ES*), the optional
 * {@code iss}/{@code aud} requirements and the clock skew. The server builds it from
 * {@link ServerConfig}; {@code arqon check-token} from its flags.
 *
 * @param algorithm              HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384 or ES512
 * @param secret                 the HMAC secret (HS* only), or {@code null}
 * @param publicKeyFile          a PEM public key or certificate (RS*, ES*), or {@code null}
 * @param jwksUrl                a JWKS document (RS*, ES*), or {@code null}
 * @param issuer                 the required {@code iss}, or {@code null}
 * @param audience               the value {@code aud} must contain, or {@code null}
 * @param clockSkew              tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param jwksRefreshInterval    time between periodic JWKS fetches
 * @param jwksMinRefetchInterval shortest time between two fetches caused by an unknown {@code kid}
 */
public record JwtSettings(
        String algorithm,
        String secret,
        Path publicKeyFile,
        URI jwksUrl,
        String issuer,
        String audience,
        Duration clockSkew,
        Duration jwksRefreshInterval,
        Duration jwksMinRefetchInterval) {

    public JwtSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
        Objects.requireNonNull(jwksMinRefetchInterval, "jwksMinRefetchInterval");
    }

    /** The settings of a validated server configuration with auth on. */
    public static JwtSettings from(ServerConfig config) {
        return config.auth().jwt();
    }

    /** Settings with a key source and the server's defaults for everything else. */
    public static JwtSettings of(String algorithm, String secret, Path publicKeyFile, URI jwksUrl) {
        return new JwtSettings(algorithm, secret, publicKeyFile, jwksUrl, null, null,
                AuthSettings.DEFAULT_JWT_CLOCK_SKEW, AuthSettings.DEFAULT_JWKS_REFRESH_INTERVAL,
                AuthSettings.DEFAULT_JWKS_MIN_REFETCH_INTERVAL);
    }

    /** The same settings with these {@code iss}/{@code aud} requirements. */
    public JwtSettings withIssuerAndAudience(String newIssuer, String newAudience) {
        return new JwtSettings(algorithm, secret, publicKeyFile, jwksUrl, newIssuer, newAudience, clockSkew,
                jwksRefreshInterval, jwksMinRefetchInterval);
    }
}
