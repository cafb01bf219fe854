package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.arqonbus.server.config.JwtSettings;
import io.arqonbus.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The cache of verified tokens answers exactly what a fresh check would: the same acceptance for
 * a token seen before (without checking it again), a refusal once the token expired, and a fresh
 * check once the keys changed; refusals are never cached.
 */
class VerifiedTokensTest {
    private final MutableClock clock = new MutableClock(Instant.now());

    private JwtAuthenticator hs256() {
        return JwtAuthenticator.create(JwtSettings.of("HS256", HandshakeAuthTest.SECRET, null, null), clock);
    }

    @Test
    void aTokenSeenBeforeIsAcceptedFromTheCacheWithTheSamePrincipal() throws Exception {
        JwtAuthenticator auth = hs256();
        String token = HandshakeAuthTest.token("alice", "admin", "t1", clock.instant().plusSeconds(300),
                HandshakeAuthTest.SECRET);

        CompletableFuture<AuthResult> first = auth.verify(token);
        CompletableFuture<AuthResult> second = auth.verify(token);

        assertThat(first.getNow(null)).isInstanceOf(AuthResult.Accepted.class);
        assertThat(second.getNow(null)).isSameAs(first.getNow(null));
        assertThat(auth.verify(token)).isSameAs(second); // answered from the cache: nothing parsed, nothing allocated
        Principal principal = ((AuthResult.Accepted) second.getNow(null)).principal();
        assertThat(principal.subject()).isEqualTo("alice");
        assertThat(principal.role()).isEqualTo("admin");
        assertThat(principal.tenantId()).isEqualTo("t1");
        // another token of the same subject is another entry
        String other = HandshakeAuthTest.token("alice", "user", "t1", clock.instant().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        assertThat(((AuthResult.Accepted) auth.verify(other).getNow(null)).principal().role()).isEqualTo("user");
    }

    @Test
    void aCachedTokenIsRefusedAtTheInstantAFreshCheckWouldRefuseIt() throws Exception {
        JwtAuthenticator auth = hs256();
        Duration skew = JwtSettings.of("HS256", HandshakeAuthTest.SECRET, null, null).clockSkew();
        Instant exp = clock.instant().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS); // exp is in whole seconds
        String token = HandshakeAuthTest.token("bob", null, null, exp, HandshakeAuthTest.SECRET);
        assertThat(auth.verify(token).getNow(null)).isInstanceOf(AuthResult.Accepted.class);

        clock.advance(Duration.between(clock.instant(), exp.plus(skew)).minusMillis(1));
        assertThat(auth.verify(token).getNow(null)).isInstanceOf(AuthResult.Accepted.class);

        clock.advance(Duration.ofMillis(1));
        AuthResult expired = auth.verify(token).getNow(null);
        assertThat(expired).isInstanceOf(AuthResult.Rejected.class);
        assertThat(((AuthResult.Rejected) expired).reason()).contains("expired");
    }

    @Test
    void refusedTokensAreCheckedAgainEveryTime() throws Exception {
        JwtAuthenticator auth = hs256();
        String forged = HandshakeAuthTest.token("mallory", "admin", null, clock.instant().plusSeconds(300),
                "another-secret-that-is-also-32-bytes-long!!");
        CompletableFuture<AuthResult> first = auth.verify(forged);
        CompletableFuture<AuthResult> second = auth.verify(forged);
        assertThat(first.getNow(null)).isInstanceOf(AuthResult.Rejected.class);
        assertThat(second.getNow(null)).isInstanceOf(AuthResult.Rejected.class);
        assertThat(second).isNotSameAs(first);
    }

    @Test
    void aTokenIsCheckedAfreshOnceTheKeysChangedAndRefusedWhenItsKeyIsGone() throws Exception {
        VerificationKey secret = new HmacKey("HmacSHA256", HandshakeAuthTest.SECRET);
        RotatingKeys keys = new RotatingKeys(List.of(secret));
        JwtAuthenticator auth = new JwtAuthenticator(JWSAlgorithm.HS256, keys,
                new ClaimRules(clock, Duration.ofSeconds(30), null, null));
        String token = HandshakeAuthTest.token("carol", null, null, clock.instant().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        CompletableFuture<AuthResult> first = auth.verify(token);
        assertThat(first.getNow(null)).isInstanceOf(AuthResult.Accepted.class);
        assertThat(auth.verify(token).getNow(null)).isSameAs(first.getNow(null));

        keys.current = List.of(new HmacKey("HmacSHA256", "a-new-secret-after-rotation-32-bytes-long!"));
        AuthResult afterRotation = auth.verify(token).getNow(null);
        assertThat(afterRotation).isInstanceOf(AuthResult.Rejected.class);
        assertThat(((AuthResult.Rejected) afterRotation).reason()).contains("signature");
    }

    /** A key source whose key set an administrator replaces (as a JWKS document fetched again). */
    private static final class RotatingKeys implements KeySource {
        volatile List<VerificationKey> current;

        RotatingKeys(List<VerificationKey> keys) {
            this.current = keys;
        }

        @Override
        public CompletableFuture<List<VerificationKey>> keysFor(JWSHeader header) {
            return CompletableFuture.completedFuture(current);
        }

        @Override
        public Object generation() {
            return current;
        }
    }
}
