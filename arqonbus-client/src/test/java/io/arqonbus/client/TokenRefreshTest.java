package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth on and tokens that live two seconds, the SDK sends {@code refresh} with a new token
 * before each expires, so one connection outlives many tokens; a supplier that has no new token
 * lets the server close with 4003, after which the client stops.
 */
class TokenRefreshTest {
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET)
            .jwtClockSkew(Duration.ZERO));

    static String token(String subject, Duration life) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(life))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Test
    void refreshKeepsTheConnectionPastItsFirstTokensExpiry() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        Supplier<String> tokens = () -> {
            issued.incrementAndGet();
            return token("alice", Duration.ofSeconds(2));
        };
        Recorder recorder = new Recorder();
        Instant start = Instant.now();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(tokens).onStateChange(recorder).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            String clientId = client.clientId();
            await().atMost(Duration.ofSeconds(30)).until(() -> issued.get() >= 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> Duration.between(start, Instant.now()).toMillis() > 3000);
            client.command("ping", null).get(10, TimeUnit.SECONDS);
            assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
            assertThat(client.clientId()).isEqualTo(clientId);
            assertThat(recorder.states()).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
        }
    }

    @Test
    void aHandshakeRefusedWith401StopsAsAPolicyFailure() throws Exception {
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(() -> "not-a-jwt")
                .onStateChange(recorder).build()) {
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ArqonBusException.class).hasMessageContaining("HTTP 401");
            assertThat(client.state()).isEqualTo(ClientState.CLOSED);
            assertThat(recorder.events.get(recorder.events.size() - 1).code()).isEqualTo(1008);
            assertThat(recorder.states()).doesNotContain(ClientState.DISCONNECTED);
        }
    }

    @Test
    void aHandshakeRefusedWith401ReconnectsWhenTheSupplierHasANewToken() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        String good = token("carol", Duration.ofMinutes(5));
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri())
                .token(() -> asked.getAndIncrement() == 0 ? "not-a-jwt" : good)
                .onStateChange(recorder).build()) {
            client.connect().get(20, TimeUnit.SECONDS);
            assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
            assertThat(asked.get()).isGreaterThanOrEqualTo(2);
            assertThat(recorder.events).anySatisfy(e -> assertThat(e.code()).isEqualTo(1008));
        }
    }

    @Test
    void anExpiredTokenWithNoNewOneStopsTheClient() throws Exception {
        String only = token("bob", Duration.ofSeconds(2));
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(() -> only).onStateChange(recorder).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ClientState.CLOSED);
            assertThat(recorder.events.get(recorder.events.size() - 1).code()).isEqualTo(4003);
            assertThat(recorder.connects()).isEqualTo(1);
        }
    }
}
