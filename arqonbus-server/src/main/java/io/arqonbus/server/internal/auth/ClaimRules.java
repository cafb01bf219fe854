package io.arqonbus.server.internal.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The claim checks of a signed token, against the server's clock: {@code exp} not passed,
 * {@code nbf} reached and {@code iat} not in the future, each with the clock skew; {@code iss}
 * and {@code aud} when configured.
 */
final class ClaimRules {
    private final Clock clock;
    private final Duration skew;
    private final String issuer;
    private final String audience;

    ClaimRules(Clock clock, Duration skew, String issuer, String audience) {
        this.clock = clock;
        this.skew = skew;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** The server's clock the rules read. */
    Clock clock() {
        return clock;
    }

    /** The clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. */
    Duration skew() {
        return skew;
    }

    /** Why the claims are refused, or {@code null} when they pass. */
    String problem(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp != null && !now.isBefore(exp.toInstant().plus(skew))) {
            return "the token expired at " + exp.toInstant() + " (clock skew " + skew.toSeconds() + " s)";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            return "the token is not valid before " + nbf.toInstant() + " (clock skew " + skew.toSeconds() + " s)";
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(skew).isBefore(iat.toInstant())) {
            return "the token was issued in the future, at " + iat.toInstant();
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            return "the token's issuer is " + quote(claims.getIssuer()) + ", not '" + issuer + "'";
        }
        List<String> aud = claims.getAudience();
        if (audience != null && (aud == null || !aud.contains(audience))) {
            return "the token's audience " + (aud == null || aud.isEmpty() ? "is missing" : aud.toString())
                    + " does not include '" + audience + "'";
        }
        return null;
    }

    private static String quote(String value) {
        return value == null ? "missing" : "'" + value + "'";
    }
}
