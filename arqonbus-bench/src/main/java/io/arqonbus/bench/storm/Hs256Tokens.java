package io.arqonbus.bench.storm;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * HS256 tokens signed with the secret the server verifies with ({@code ARQONBUS_AUTH_JWT_SECRET}):
 * one per client, subject {@code <prefix><index>}, issued now, expiring after the given time.
 */
final class Hs256Tokens {
    private final MACSigner signer;
    private final String prefix;
    private final Duration lifetime;

    /** Fails with a sentence when the secret is shorter than 32 bytes (HS256 needs 256 bits). */
    Hs256Tokens(String secret, String prefix, Duration lifetime) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("--jwt-secret must be at least 32 bytes for HS256 (" + e.getMessage() + ")");
        }
        this.prefix = prefix;
        this.lifetime = lifetime;
    }

    /** The token of client {@code index}. */
    String token(int index) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(prefix + index)
                .issueTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jwt.serialize();
    }
}
