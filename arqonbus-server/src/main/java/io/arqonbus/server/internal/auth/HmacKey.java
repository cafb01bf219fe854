package io.arqonbus.server.internal.auth;

import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared secret (HS256, HS384, HS512) checked with the JDK's {@link Mac} rather than Nimbus's
 * verifier, because the original accepts secrets shorter than the hash, which Nimbus refuses.
 *
 * <p>Each thread keeps one initialised {@code Mac}: looking the algorithm up among the security
 * providers and initialising it with the key cost three times the signature itself when done per
 * token (a reconnect storm's profile), and {@link Mac#doFinal} leaves the instance ready for the
 * next token.
 */
final class HmacKey implements VerificationKey {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    HmacKey(String macName, String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macName);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    @Override
    public boolean verifies(SignedJWT jwt) throws GeneralSecurityException {
        byte[] expected = macs.get().doFinal(jwt.getSigningInput());
        return MessageDigest.isEqual(expected, jwt.getSignature().decode());
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK cannot compute " + key.getAlgorithm() + ": " + e.getMessage(), e);
        }
    }
}
