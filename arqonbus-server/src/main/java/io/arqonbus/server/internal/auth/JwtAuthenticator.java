package io.arqonbus.server.internal.auth;

import io.arqonbus.server.config.JwtSettings;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JWT at the handshake (protocol §2): a signed token whose header names exactly the configured
 * algorithm (never {@code none}, never an HMAC algorithm where a public key is configured),
 * whose signature verifies with the configured key — a shared secret for HS*, a PEM public key
 * or the JWKS key named by {@code kid} for RS*, ES* — and whose {@code exp}, {@code nbf},
 * {@code iat}, and optionally {@code iss} and {@code aud}, pass ({@link ClaimRules}). Claims
 * {@code role} (default {@code user}), {@code tenant_id} and {@code sub} make the
 * {@link Principal}.
 *
 * <p>HMAC signatures are checked with the JDK's {@link javax.crypto.Mac} rather than Nimbus's
 * verifier because the original accepts secrets shorter than the hash, which Nimbus refuses
 * ({@link HmacKey}). A token that verified before is accepted from {@link VerifiedTokens} without
 * being parsed or checked again, under the same expiry and key rules.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
    /**
     * The longest token considered: {@value} characters (a handshake's headers cannot carry more
     * anyway; this bounds tokens sent with {@code refresh}).
     */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private final JWSAlgorithm algorithm;
    private final KeySource keys;
    private final ClaimRules rules;
    private final VerifiedTokens verified;

    JwtAuthenticator(JWSAlgorithm algorithm, KeySource keys, ClaimRules rules) {
        this.algorithm = algorithm;
        this.keys = keys;
        this.rules = rules;
        this.verified = new VerifiedTokens(rules.clock(), rules.skew());
    }

    /**
     * An authenticator for these settings. Reads the PEM file now; a JWKS document is fetched in
     * the background from now on.
     *
     * @throws ConfigException when the settings name no usable key
     */
    public static JwtAuthenticator create(JwtSettings settings, Clock clock) {
        String alg = settings.algorithm();
        ClaimRules rules = new ClaimRules(clock, settings.clockSkew(), settings.issuer(), settings.audience());
        if (JwtAlgorithms.isHmac(alg)) {
            if (settings.secret() == null || settings.secret().isEmpty()) {
                throw new ConfigException("JWT algorithm " + alg + " needs a secret");
            }
            if (settings.secret().getBytes(StandardCharsets.UTF_8).length < 32) {
                log.atWarn()
                        .addKeyValue("event", "weak_jwt_secret")
                        .addKeyValue("algorithm", alg)
                        .addKeyValue("msg", "The JWT secret is shorter than 32 bytes; use a longer random secret")
                        .log("weak_jwt_secret");
            }
            return new JwtAuthenticator(JwtAlgorithms.jws(alg), KeySource.fixed(hmac(alg, settings.secret())), rules);
        }
        if (!JwtAlgorithms.isRsa(alg) && !JwtAlgorithms.isEc(alg)) {
            throw new ConfigException("JWT algorithm: " + alg + " is not supported");
        }
        if (settings.publicKeyFile() != null) {
            PublicKey key;
            try {
                key = PemKeys.readPublicKey(settings.publicKeyFile());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("JWT public key file " + settings.publicKeyFile() + ": " + e.getMessage());
            }
            VerificationKey verifier = JwtAlgorithms.publicKey(alg, key, "JWT public key file "
                    + settings.publicKeyFile());
            return new JwtAuthenticator(JwtAlgorithms.jws(alg), KeySource.fixed(verifier), rules);
        }
        if (settings.jwksUrl() != null) {
            return new JwtAuthenticator(JwtAlgorithms.jws(alg), new JwksKeySource(settings.jwksUrl(),
                    alg, settings.jwksRefreshInterval(), settings.jwksMinRefetchInterval()), rules);
        }
        throw new ConfigException("JWT algorithm " + alg + " needs a public key file or a JWKS URL");
    }

    private static VerificationKey hmac(String alg, String secret) {
        return new HmacKey(JwtAlgorithms.MAC_NAMES.get(alg), secret);
    }

    @Override
    public CompletableFuture<AuthResult> verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return done(AuthResult.Rejected.invalid("the token is longer than " + MAX_TOKEN_LENGTH + " characters"));
        }
        // Read before the check: a key set that changes meanwhile leaves the acceptance uncached.
        Object generation = keys.generation();
        CompletableFuture<AuthResult> known = verified.get(token, generation);
        if (known != null) {
            return known;
        }
        CompletableFuture<AuthResult> answer = check(token);
        if (answer.isDone()) {
            remember(token, generation, answer.getNow(null));
            return answer;
        }
        return answer.thenApply(result -> {
            remember(token, generation, result);
            return result;
        });
    }

    private void remember(String token, Object generation, AuthResult result) {
        if (result instanceof AuthResult.Accepted accepted) {
            verified.put(token, generation, accepted);
        }
    }

    /** The full check: parse, header, keys, signature, claims. */
    private CompletableFuture<AuthResult> check(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return done(AuthResult.Rejected.invalid("not a signed JWT: " + e.getMessage()));
        }
        JWSHeader header = jwt.getHeader();
        if (!algorithm.equals(header.getAlgorithm())) {
            return done(AuthResult.Rejected.invalid("the token's algorithm " + header.getAlgorithm()
                    + " is not the configured " + algorithm));
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return done(AuthResult.Rejected.invalid("the token has critical header parameters "
                    + header.getCriticalParams() + " that the server does not understand"));
        }
        CompletableFuture<List<VerificationKey>> candidates = keys.keysFor(header);
        if (candidates.isDone() && !candidates.isCompletedExceptionally()) {
            return done(check(jwt, claims, candidates.getNow(List.of())));
        }
        return candidates.handle((list, error) -> error == null ? check(jwt, claims, list)
                : AuthResult.Rejected.invalid("the keys could not be fetched: " + rootMessage(error)));
    }

    private AuthResult check(SignedJWT jwt, JWTClaimsSet claims, List<VerificationKey> candidates) {
        if (candidates.isEmpty()) {
            String kid = jwt.getHeader().getKeyID();
            return AuthResult.Rejected.invalid(kid == null ? "no key to verify the token with"
                    : "no key with kid '" + kid + "'");
        }
        boolean verified = false;
        for (VerificationKey key : candidates) {
            try {
                if (key.verifies(jwt)) {
                    verified = true;
                    break;
                }
            } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
                log.atDebug()
                        .addKeyValue("event", "jwt_verify_error")
                        .addKeyValue("msg", e.getMessage())
                        .log("jwt_verify_error");
            }
        }
        if (!verified) {
            return AuthResult.Rejected.invalid("the signature does not verify with the configured key");
        }
        String problem = rules.problem(claims);
        if (problem != null) {
            return AuthResult.Rejected.invalid(problem);
        }
        try {
            String role = claims.getStringClaim("role");
            Date exp = claims.getExpirationTime();
            Principal principal = new Principal(
                    claims.getSubject(),
                    role == null || role.isBlank() ? "user" : role,
                    claims.getStringClaim("tenant_id"),
                    exp == null ? null : exp.toInstant());
            return new AuthResult.Accepted(principal, claims.toJSONObject());
        } catch (ParseException e) {
            return AuthResult.Rejected.invalid("a claim has the wrong type: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        for (int i = 0; i < 5 && cause.getCause() != null; i++) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static CompletableFuture<AuthResult> done(AuthResult result) {
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void close() {
        keys.close();
    }
}
