package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

/**
 * Coverage-guided fuzzing of the JWKS path (docs/reliability.md, "Fuzzing"): any document an issuer's
 * URL returns goes through {@link JwksDocument#parse} — answered with the usable keys or refused with
 * {@link JwksDocument.Invalid} — and the keys it yields verify an RS256 or ES256 token through
 * {@link JwtAuthenticator#verify} exactly as {@link JwksKeySource} hands them over: an answer at once,
 * {@link AuthResult.Accepted} or a {@link AuthResult.Rejected} with a reason, never an exception,
 * in bounded time.
 *
 * <p>An input's first byte chooses: bit 0 — RS256 (0) or ES256 (1); bit 1 — the rest is the document,
 * a zero byte, and the token as sent (1), or only the document, and the harness signs valid claims
 * with its own private key (0); bit 2 — the harness's token names no {@code kid}, so every key is a
 * candidate. The harness's keys are fixed (test resource {@code JwksVerifyFuzzTest-private-keys.json},
 * made for this test only) so that committed documents hold their public halves and reach the
 * signature check. A token the harness signed is accepted only when the document holds the harness's
 * own public key (compared as numbers): any other acceptance would be a forged signature.
 */
class JwksVerifyFuzzTest {
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String ISSUER = "arqonbus-tests";
    private static final String AUDIENCE = "bus";

    private final RSAKey rsa;
    private final ECKey ec;

    /** Reads the harness's keys and warms up outside the timed part (class loading costs seconds on a busy machine). */
    JwksVerifyFuzzTest() throws IOException, ParseException, JOSEException {
        try (InputStream in = JwksVerifyFuzzTest.class.getResourceAsStream("JwksVerifyFuzzTest-private-keys.json")) {
            JWKSet keys = JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            rsa = (RSAKey) keys.getKeyByKeyId("fuzz-rsa");
            ec = (ECKey) keys.getKeyByKeyId("fuzz-ec");
        }
        String published = new JWKSet(java.util.List.<JWK>of(rsa, ec)).toPublicJWKSet().toString();
        run(concat((byte) 0, published));
        run(concat((byte) 1, published));
        run(concat((byte) 2, "{\"keys\":[]}\0a.b.c"));
    }

    @FuzzTest(maxDuration = "30s")
    void verifyWithKeySet(byte[] input) throws JOSEException {
        long start = CPU.getCurrentThreadCpuTime();
        run(input);
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one input").isLessThan(MAX_NANOS_PER_INPUT);
    }

    private void run(byte[] input) throws JOSEException {
        if (input.length == 0) {
            return;
        }
        boolean es256 = (input[0] & 1) != 0;
        boolean tokenAsSent = (input[0] & 2) != 0;
        boolean withoutKid = (input[0] & 4) != 0;
        String algorithm = es256 ? "ES256" : "RS256";
        String rest = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String document = rest;
        String token;
        if (tokenAsSent) {
            int zero = rest.indexOf('\0');
            document = zero < 0 ? rest : rest.substring(0, zero);
            token = zero < 0 ? "" : rest.substring(zero + 1);
        } else {
            token = signed(es256, withoutKid);
        }

        JwksDocument keys;
        try {
            keys = JwksDocument.parse(document, algorithm);
        } catch (JwksDocument.Invalid refused) {
            assertThat(refused.getMessage()).startsWith("not a JWKS document");
            return;
        }
        assertThat(keys.entries()).hasSizeLessThanOrEqualTo(JwksDocument.MAX_KEYS);
        JwtAuthenticator authenticator = new JwtAuthenticator(JwtAlgorithms.jws(algorithm),
                header -> CompletableFuture.completedFuture(keys.keysFor(header.getKeyID())),
                new ClaimRules(Clock.systemUTC(), Duration.ofSeconds(60), ISSUER, AUDIENCE));
        CompletableFuture<AuthResult> verdict = authenticator.verify(token);
        assertThat(verdict).as("keys at hand: answered at once").isDone();
        AuthResult result = verdict.join();
        if (result instanceof AuthResult.Rejected rejected) {
            assertThat(rejected.details()).isEqualTo(AuthResult.Rejected.INVALID);
            assertThat(rejected.reason()).isNotBlank();
            return;
        }
        assertThat(((AuthResult.Accepted) result).principal()).isNotNull();
        if (!tokenAsSent) {
            // Compared as numbers, not as the document's text: Nimbus's base64url decoder skips
            // characters outside the alphabet, so "n" with stray bytes can still be our modulus.
            assertThat(keys.entries()).as("a token signed by the harness verifies only with the harness's key")
                    .anySatisfy(entry -> assertThat(isHarnessKey(entry.jwk(), es256)).isTrue());
        }
    }

    /** Whether {@code jwk} is numerically the harness's public key: same modulus and exponent, or same point. */
    private boolean isHarnessKey(JWK jwk, boolean es256) throws JOSEException {
        if (es256) {
            return jwk instanceof ECKey key && key.toECPublicKey().getW().equals(ec.toECPublicKey().getW());
        }
        return jwk instanceof RSAKey key
                && key.toRSAPublicKey().getModulus().equals(rsa.toRSAPublicKey().getModulus())
                && key.toRSAPublicKey().getPublicExponent().equals(rsa.toRSAPublicKey().getPublicExponent());
    }

    /** Valid claims signed with the harness's private key for the chosen algorithm. */
    private String signed(boolean es256, boolean withoutKid) throws JOSEException {
        JWK key = es256 ? ec : rsa;
        JWSSigner signer = es256 ? new ECDSASigner(ec) : new RSASSASigner(rsa);
        JWSHeader header = new JWSHeader.Builder(es256 ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256)
                .keyID(withoutKid ? null : key.getKeyID())
                .build();
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("fuzz-user")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(now)
                .expirationTime(new Date(now.getTime() + 3_600_000L))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static byte[] concat(byte first, String rest) {
        byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(new byte[] {first}, bytes.length + 1);
        System.arraycopy(bytes, 0, out, 1, bytes.length);
        return out;
    }
}
