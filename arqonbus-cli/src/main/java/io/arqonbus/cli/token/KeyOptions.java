package io.arqonbus.cli.token;

import io.arqonbus.cli.common.CliException;
import io.arqonbus.server.internal.auth.JwtAlgorithms;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.AuthSettings;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.util.Locale;

/** Picks and checks the JWT algorithm for a secret or a key (shared by gen-token and check-token). */
final class KeyOptions {
    private KeyOptions() {
    }

    /** The algorithm named by {@code --alg} (upper-cased, checked), or {@code null}. */
    static String algorithm(String flag) {
        if (flag == null || flag.isBlank()) {
            return null;
        }
        String alg = flag.trim().toUpperCase(Locale.ROOT);
        if (!AuthSettings.JWT_ALGORITHMS.contains(alg)) {
            throw CliException.usage("--alg: " + flag + " (expected: one of " + String.join(", ",
                    AuthSettings.JWT_ALGORITHMS) + ")");
        }
        return alg;
    }

    /** The algorithm for a key: {@code --alg} when given (it must fit the key), else RS256 or ES256/384/512. */
    static String forKey(String alg, Key key, String source) {
        String inferred = key instanceof ECKey ec ? ecAlgorithm(ec) : "RS256";
        if (alg == null) {
            return inferred;
        }
        if (JwtAlgorithms.isHmac(alg)) {
            throw CliException.usage(alg + " signs with a shared secret (--secret), not with " + source);
        }
        boolean rsaKey = !(key instanceof ECKey);
        if (rsaKey != JwtAlgorithms.isRsa(alg) || !rsaKey && !alg.equals(inferred)) {
            throw CliException.usage(source + " holds " + describe(key) + ", which does not fit " + alg
                    + " (use " + inferred + ")");
        }
        return alg;
    }

    /** The algorithm for a shared secret: {@code --alg} when given (it must be HS*), else HS256. */
    static String forSecret(String alg) {
        if (alg == null) {
            return AuthSettings.DEFAULT_JWT_ALGORITHM;
        }
        if (!JwtAlgorithms.isHmac(alg)) {
            throw CliException.usage(alg + " needs a key (--key-file), not a shared secret");
        }
        return alg;
    }

    private static String ecAlgorithm(ECKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return bits <= 256 ? "ES256" : bits <= 384 ? "ES384" : "ES512";
    }

    private static String describe(Key key) {
        return key instanceof ECKey ec ? "an EC key of " + ec.getParams().getCurve().getField().getFieldSize() + " bits"
                : "an " + key.getAlgorithm() + " key";
    }
}
