package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import io.arqonbus.server.config.ConfigException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/** The algorithm families ArqonBus verifies and the key each one needs. */
public final class JwtAlgorithms {
    /** The JDK MAC of each HS algorithm. */
    static final Map<String, String> MAC_NAMES =
            Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384", "HS512", "HmacSHA512");
    private static final Map<String, Curve> CURVES =
            Map.of("ES256", Curve.P_256, "ES384", Curve.P_384, "ES512", Curve.P_521);

    private JwtAlgorithms() {
    }

    /** Whether the algorithm verifies with a shared secret (HS*). */
    public static boolean isHmac(String algorithm) {
        return MAC_NAMES.containsKey(algorithm);
    }

    /** Whether the algorithm verifies with an RSA public key (RS*). */
    public static boolean isRsa(String algorithm) {
        return algorithm.startsWith("RS") && algorithm.length() == 5;
    }

    /** Whether the algorithm verifies with an EC public key (ES*). */
    public static boolean isEc(String algorithm) {
        return CURVES.containsKey(algorithm);
    }

    /** The curve an ES algorithm signs on, or {@code null}. */
    public static Curve curve(String algorithm) {
        return CURVES.get(algorithm);
    }

    /**
     * A verifier for {@code algorithm} with this public key; a {@link ConfigException} when the
     * key does not fit the algorithm (an EC key for RS256, a P-384 key for ES256…).
     */
    static VerificationKey publicKey(String algorithm, PublicKey key, String source) {
        try {
            if (isRsa(algorithm)) {
                if (!(key instanceof RSAPublicKey rsa)) {
                    throw new ConfigException(source + " holds a " + key.getAlgorithm() + " key; " + algorithm
                            + " needs an RSA public key");
                }
                RSASSAVerifier verifier = new RSASSAVerifier(rsa);
                return jwt -> jwt.verify(verifier);
            }
            if (isEc(algorithm)) {
                if (!(key instanceof ECPublicKey ec)) {
                    throw new ConfigException(source + " holds a " + key.getAlgorithm() + " key; " + algorithm
                            + " needs an EC public key on " + curve(algorithm));
                }
                Curve actual = Curve.forECParameterSpec(ec.getParams());
                if (!curve(algorithm).equals(actual)) {
                    throw new ConfigException(source + " holds an EC key on " + actual + "; " + algorithm
                            + " needs one on " + curve(algorithm));
                }
                ECDSAVerifier verifier = new ECDSAVerifier(ec);
                return jwt -> jwt.verify(verifier);
            }
        } catch (JOSEException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        throw new ConfigException("JWT algorithm " + algorithm + " does not verify with a public key");
    }

    /** Nimbus's name of the algorithm. */
    static JWSAlgorithm jws(String algorithm) {
        return JWSAlgorithm.parse(algorithm);
    }
}
