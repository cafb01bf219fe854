package io.arqonbus.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWT at the handshake, as the original ArqonBus does it: an HMAC-signed token (HS256 by
 * default) whose {@code exp} and {@code nbf} are enforced and whose {@code iat} may not lie in
 * the future; claims {@code role} (default {@code user}), {@code tenant_id} and {@code sub}.
 * A token whose header names any other algorithm, {@code none} included, is refused.
 *
 * <p>The signature is checked with the JDK's {@link Mac} rather than Nimbus's verifier because
 * the original accepts secrets shorter than the hash, which Nimbus refuses; Nimbus still parses
 * the token and verifies the claims.
 */
public final class JwtAuthenticator implements Authenticator {
    static final String MISSING = "Missing bearer token";
    static final String INVALID = "Invalid token";
    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final Map<String, String> MAC_NAMES =
            Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384", "HS512", "HmacSHA512");

    private final JWSAlgorithm algorithm;
    private final SecretKeySpec key;
    private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;

    /**
     * @param secret    the shared HMAC secret, not empty
     * @param algorithm HS256, HS384 or HS512
     */
    public JwtAuthenticator(String secret, String algorithm) {
        String macName = MAC_NAMES.get(algorithm);
        if (macName == null) {
            throw new IllegalArgumentException("JWT algorithm: " + algorithm + " (expected: HS256, HS384 or HS512)");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("JWT secret must not be empty");
        }
        this.algorithm = JWSAlgorithm.parse(algorithm);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macName);
        this.claimsVerifier = new DefaultJWTClaimsVerifier<>(null, null, Set.of());
        this.claimsVerifier.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    }

    @Override
    public AuthResult authenticate(HttpRequest request) {
        String token = TokenExtractor.extract(request);
        if (token == null) {
            return new AuthResult.Rejected(MISSING);
        }
        return verify(token);
    }

    @Override
    public AuthResult verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !signatureMatches(jwt)) {
                return new AuthResult.Rejected(INVALID);
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            claimsVerifier.verify(claims, null);
            Date issuedAt = claims.getIssueTime();
            if (issuedAt != null && issuedAt.getTime() > System.currentTimeMillis() + CLOCK_SKEW_SECONDS * 1000L) {
                return new AuthResult.Rejected(INVALID);
            }
            String role = claims.getStringClaim("role");
            Date exp = claims.getExpirationTime();
            return new AuthResult.Accepted(new Principal(
                    claims.getSubject(),
                    role == null || role.isBlank() ? "user" : role,
                    claims.getStringClaim("tenant_id"),
                    exp == null ? null : exp.toInstant()));
        } catch (ParseException | BadJWTException | GeneralSecurityException | RuntimeException e) {
            return new AuthResult.Rejected(INVALID);
        }
    }

    private boolean signatureMatches(SignedJWT jwt) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(key.getAlgorithm());
        mac.init(key);
        byte[] expected = mac.doFinal(jwt.getSigningInput());
        return MessageDigest.isEqual(expected, jwt.getSignature().decode());
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
