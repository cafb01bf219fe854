package io.arqonbus.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** HS256 tokens for tests that run a server with auth on. */
public final class TestTokens {
    /** A secret long enough for HS256. */
    public static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long!";

    private TestTokens() {
    }

    /** A token for {@code sub} with an optional role and tenant, valid for five minutes. */
    public static String token(String sub, String role, String tenant) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        if (role != null) {
            claims.claim("role", role);
        }
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The handshake header carrying that token. */
    public static Map<String, String> bearer(String sub, String role, String tenant) {
        return Map.of("Authorization", "Bearer " + token(sub, role, tenant));
    }
}
