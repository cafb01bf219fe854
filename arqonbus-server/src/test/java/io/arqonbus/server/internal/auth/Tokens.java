package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Makes tokens and keys for the auth tests (Nimbus for signing; the JDK for HMAC of any length). */
final class Tokens {
    private Tokens() {
    }

    /** Claims for {@code sub}: issued now, expiring in five minutes. */
    static JWTClaimsSet.Builder claims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    /** An HMAC token over exactly these claims. */
    static String hmac(JWSAlgorithm alg, String secret, JWTClaimsSet claims) {
        return hmac(new JWSHeader(alg), secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    /** An HMAC token with this header and raw key bytes (e.g. a public key's PEM text). */
    static String hmac(JWSHeader header, byte[] key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        return header.toBase64URL() + "." + jwt.getPayload().toBase64URL() + "."
                + Base64URL.encode(mac(header.getAlgorithm(), key, jwt.getSigningInput()));
    }

    static byte[] mac(JWSAlgorithm alg, byte[] key, byte[] input) {
        String name = "Hmac" + "SHA" + alg.getName().substring(2);
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed with this header and signer. */
    static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String rs256(KeyPair keys, String kid, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims,
                new RSASSASigner(keys.getPrivate()));
    }

    static String es256(KeyPair keys, String kid, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims,
                    new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(Curve curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(curve.toECParameterSpec());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as a {@code PUBLIC KEY} PEM text. */
    static String pem(PublicKey key) {
        return PemKeys.pem("PUBLIC KEY", key.getEncoded());
    }

    /** Writes the public key as PEM into a new file under {@code dir}. */
    static Path pemFile(Path dir, String name, PublicKey key) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, pem(key), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64url of UTF-8 JSON text. */
    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The token with its payload segment replaced by this JSON, signature kept. */
    static String withPayload(String token, String json) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(json) + "." + parts[2];
    }
}
