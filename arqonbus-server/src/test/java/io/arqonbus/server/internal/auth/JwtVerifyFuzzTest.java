package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.arqonbus.server.config.JwtSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Coverage-guided fuzzing of token verification (docs/reliability.md, "Fuzzing"): whatever a client
 * presents at the handshake or in a {@code refresh}, {@link JwtAuthenticator#verify} answers at once
 * (HS256 needs no key fetch) with {@link AuthResult.Accepted} or a {@link AuthResult.Rejected} that
 * says why, never an exception, in bounded time.
 *
 * <p>An input's first byte chooses the mode: even — the rest is the token as sent (headers, segments,
 * signatures as the fuzzer makes them); odd — the rest is a claims payload that the harness signs with
 * the server's secret, so the fuzzer reaches the claim rules ({@code exp}, {@code nbf}, {@code iat},
 * {@code iss}, {@code aud}, {@code role}, {@code tenant_id} of any JSON type) past the signature.
 */
class JwtVerifyFuzzTest {
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String SECRET = "fuzzing-secret-0123456789-0123456789";

    private final JwtAuthenticator authenticator = JwtAuthenticator.create(
            JwtSettings.of("HS256", SECRET, null, null).withIssuerAndAudience("arqonbus-tests", "bus"),
            Clock.systemUTC());

    /** Warm-up outside the timed part: the first input pays for class loading, seconds on a busy machine. */
    JwtVerifyFuzzTest() throws JOSEException {
        run(new byte[] {1, '{', '}'});
        run("\0a.b.c".getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "30s")
    void verifyToken(byte[] input) throws JOSEException {
        long start = CPU.getCurrentThreadCpuTime();
        run(input);
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one input").isLessThan(MAX_NANOS_PER_INPUT);
    }

    private void run(byte[] input) throws JOSEException {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        String token = (input[0] & 1) == 0 ? new String(rest, StandardCharsets.UTF_8) : signed(rest);
        CompletableFuture<AuthResult> verdict = authenticator.verify(token);
        assertThat(verdict).as("HS256 verification needs no key fetch: answered at once").isDone();
        AuthResult result = verdict.join();
        if (result instanceof AuthResult.Rejected rejected) {
            assertThat(rejected.details()).isEqualTo(AuthResult.Rejected.INVALID);
            assertThat(rejected.reason()).isNotBlank();
        } else {
            assertThat(((AuthResult.Accepted) result).principal()).isNotNull();
        }
    }

    /** The payload signed with the server's own secret: only the claims decide. */
    private static String signed(byte[] payload) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
        jws.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jws.serialize();
    }
}
