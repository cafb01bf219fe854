package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;

/** One key that may have signed a token: checks the token's signature. Thread-safe. */
@FunctionalInterface
interface VerificationKey {

    /** Whether this key made the token's signature. */
    boolean verifies(SignedJWT jwt) throws JOSEException, GeneralSecurityException;
}
