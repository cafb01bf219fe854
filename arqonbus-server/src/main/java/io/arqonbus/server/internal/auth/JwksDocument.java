package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.arqonbus.server.config.ConfigException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usable keys of one JWKS document for one algorithm: the right key type (and curve),
 * {@code use} absent or {@code sig}, {@code alg} absent or equal; at most {@link #MAX_KEYS} of them.
 * A key that does not fit is skipped; a document that is not a JWKS document is refused with
 * {@link Invalid}.
 */
final class JwksDocument {
    private static final Logger log = LoggerFactory.getLogger(JwksDocument.class);
    /** The most keys kept from one document: {@value}. */
    static final int MAX_KEYS = 100;
    /** A document without keys. */
    static final JwksDocument EMPTY = new JwksDocument(List.of());

    /** One usable key, with the {@code kid} the document gives it (maybe {@code null}). */
    record Entry(String kid, JWK jwk, VerificationKey key) {
    }

    /** A document that is not a JWKS document: the only refusal of {@link #parse}. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private final List<Entry> entries;

    private JwksDocument(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * The keys of {@code json} that verify {@code algorithm} (an RS* or ES* name).
     *
     * @throws Invalid when {@code json} is not a JWKS document
     */
    static JwksDocument parse(String json, String algorithm) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new Invalid("not a JWKS document: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            if (entries.size() == MAX_KEYS) {
                break;
            }
            VerificationKey key = usable(jwk, algorithm);
            if (key != null) {
                entries.add(new Entry(jwk.getKeyID(), jwk, key));
            }
        }
        return new JwksDocument(List.copyOf(entries));
    }

    /** A verifier for this JWK when it fits the algorithm, else {@code null}. */
    private static VerificationKey usable(JWK jwk, String algorithm) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        if (jwk.getAlgorithm() != null && !algorithm.equals(jwk.getAlgorithm().getName())) {
            return null;
        }
        try {
            if (JwtAlgorithms.isRsa(algorithm) && KeyType.RSA.equals(jwk.getKeyType())) {
                return JwtAlgorithms.publicKey(algorithm, ((RSAKey) jwk).toRSAPublicKey(), "JWK " + jwk.getKeyID());
            }
            if (JwtAlgorithms.isEc(algorithm) && KeyType.EC.equals(jwk.getKeyType())
                    && JwtAlgorithms.curve(algorithm).equals(((ECKey) jwk).getCurve())) {
                return JwtAlgorithms.publicKey(algorithm, ((ECKey) jwk).toECPublicKey(), "JWK " + jwk.getKeyID());
            }
        } catch (JOSEException | ConfigException e) {
            log.atDebug()
                    .addKeyValue("event", "jwk_skipped")
                    .addKeyValue("kid", jwk.getKeyID())
                    .addKeyValue("msg", e.getMessage())
                    .log("jwk_skipped");
        }
        return null;
    }

    /** The usable keys. */
    List<Entry> entries() {
        return entries;
    }

    /** The keys that may have signed a token naming {@code kid}: all of them when {@code kid} is {@code null}. */
    List<VerificationKey> keysFor(String kid) {
        List<VerificationKey> out = new ArrayList<>();
        for (Entry entry : entries) {
            if (kid == null || kid.equals(entry.kid())) {
                out.add(entry.key());
            }
        }
        return out;
    }
}
