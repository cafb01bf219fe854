package io.arqonbus.server.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures in the Standard Webhooks format (standardwebhooks.com), which off-the-shelf verifiers
 * accept: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id> "." <webhook-timestamp> "." <body>}. The key is the base64 part of a
 * {@code whsec_<base64>} secret (every generated secret has that form); a secret of any other form
 * keys the HMAC with its UTF-8 bytes, which this server's receivers can check but off-the-shelf
 * verifiers cannot.
 */
public final class StandardSignature {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private StandardSignature() {
    }

    /** The {@code webhook-signature} value for this message id, timestamp (epoch seconds) and body. */
    public static String sign(String secret, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update(id.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The HMAC key of a secret: the decoded base64 of {@code whsec_<base64>}, else its UTF-8 bytes. */
    static byte[] key(String secret) {
        if (secret.startsWith(Signature.SECRET_PREFIX)) {
            try {
                byte[] key = Base64.getDecoder().decode(secret.substring(Signature.SECRET_PREFIX.length()));
                if (key.length > 0) {
                    return key;
                }
            } catch (IllegalArgumentException e) {
                // not base64: keyed with the text as a whole, below
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
