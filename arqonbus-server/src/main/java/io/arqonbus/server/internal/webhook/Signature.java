package io.arqonbus.server.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-ArqonBus-Signature: sha256=<hex HMAC-SHA256>} over
 * {@code <X-ArqonBus-Timestamp> + "." + <body bytes>}, keyed with the UTF-8 bytes of the rule's
 * secret. Receivers recompute it and compare in constant time, and refuse old timestamps.
 */
public final class Signature {
    /** The prefix of a generated secret. */
    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /**
     * A new random secret: {@code whsec_} and 32 random bytes in standard base64 (44 characters), the
     * form Standard Webhooks verifiers take ({@link StandardSignature}).
     */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The header value for this timestamp (epoch seconds, as sent) and body. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
