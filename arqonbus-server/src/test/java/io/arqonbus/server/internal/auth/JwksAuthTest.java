package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.INVALID;
import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.internal.auth.AuthAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RS256 with keys from a JWKS URL served on loopback: keys picked by {@code kid}, rotation
 * (an unknown {@code kid} triggers a refetch; retired keys stop working), the rate limit on
 * such refetches, periodic refresh, a slow JWKS that does not hold up other handshakes, and an
 * unreachable JWKS.
 */
class JwksAuthTest {
    static final KeyPair K1 = Tokens.rsa();
    static final KeyPair K2 = Tokens.rsa();
    static final KeyPair K3 = Tokens.rsa();
    static final KeyPair EC = Tokens.ec(Curve.P_256);

    @RegisterExtension
    @Order(0)
    static final JwksServer jwks = new JwksServer(List.of(rsa(K1, "k1"), ec(EC, "e1")));
    @RegisterExtension
    @Order(1)
    static final JwksServer limitedJwks = new JwksServer(List.of(rsa(K1, "k1")));
    @RegisterExtension
    @Order(2)
    static final JwksServer periodicJwks = new JwksServer(List.of(rsa(K1, "k1")));

    /** Refetches on every unknown kid (no rate limit), no periodic refresh within a test. */
    @RegisterExtension
    @Order(3)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("RS256")
            .jwksUrl(jwks.url().toString()).jwksMinRefetchInterval(Duration.ZERO)
            .jwksRefreshInterval(Duration.ofHours(1)));
    /** At most one refetch per hour for unknown kids. */
    @RegisterExtension
    @Order(4)
    static final ArqonBusExtension limited = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("RS256")
            .jwksUrl(limitedJwks.url().toString()).jwksMinRefetchInterval(Duration.ofHours(1))
            .jwksRefreshInterval(Duration.ofHours(1)));
    /** Refreshes every second, never refetches for unknown kids. */
    @RegisterExtension
    @Order(5)
    static final ArqonBusExtension periodic = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("RS256")
            .jwksUrl(periodicJwks.url().toString()).jwksMinRefetchInterval(Duration.ofHours(1))
            .jwksRefreshInterval(Duration.ofSeconds(1)));
    /** A JWKS URL where nothing listens. */
    @RegisterExtension
    @Order(6)
    static final ArqonBusExtension unreachable = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtAlgorithm("RS256").jwksUrl("http://127.0.0.1:" + closedPort() + "/jwks.json"));
    @RegisterExtension
    @Order(7)
    static final RawClients raw = new RawClients(server);
    @RegisterExtension
    @Order(8)
    static final RawClients periodicClients = new RawClients(periodic);

    static JWK rsa(KeyPair pair, String kid) {
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build();
    }

    static JWK ec(KeyPair pair, String kid) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid).build();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTokenWhoseKidIsPublishedIsAccepted() throws Exception {
        accepted(raw, Tokens.rs256(K1, "k1", Tokens.claims("alice").build()));
        // Without a kid, every published key of the right type is tried.
        accepted(raw, Tokens.rs256(K1, null, Tokens.claims("alice").build()));
    }

    @Test
    void keysThatDoNotFitTheAlgorithmAreNeverUsed() throws Exception {
        // e1 is an EC key: an ES256 token naming it is the wrong algorithm, an RS256 one finds no RSA key e1.
        refused(server, Tokens.es256(EC, "e1", Tokens.claims("eve").build()), INVALID);
        refused(server, Tokens.rs256(K2, "e1", Tokens.claims("eve").build()), INVALID);
        // A token signed by an unpublished key under a published kid.
        refused(server, Tokens.rs256(K3, "k1", Tokens.claims("eve").build()), INVALID);
    }

    @Test
    void rotationAnUnknownKidTriggersARefetchAndRetiredKeysStopWorking() throws Exception {
        jwks.publish(List.of(rsa(K2, "k2"), ec(EC, "e1")));
        int before = jwks.requests();
        accepted(raw, Tokens.rs256(K2, "k2", Tokens.claims("alice").build()));
        assertThat(jwks.requests()).isEqualTo(before + 1);
        // k1 left the document; the refetch replaced the cache.
        refused(server, Tokens.rs256(K1, "k1", Tokens.claims("alice").build()), INVALID);
        jwks.publish(List.of(rsa(K1, "k1"), rsa(K2, "k2"), ec(EC, "e1")));
    }

    @Test
    void aSlowJwksFetchDoesNotHoldUpOtherHandshakes() throws Exception {
        jwks.publish(List.of(rsa(K1, "k1"), rsa(K2, "k2"), rsa(K3, "k3"), ec(EC, "e1")));
        accepted(raw, Tokens.rs256(K2, "k2", Tokens.claims("warm").build()));
        jwks.delay(3000);
        int before = jwks.requests();
        try {
            String k3 = Tokens.rs256(K3, "k3", Tokens.claims("carol").build());
            CompletableFuture<RawWebSocket> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return accepted(raw, k3);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The fetch for k3 has started (and will take 3 s).
            await().atMost(Duration.ofSeconds(2)).until(() -> jwks.requests() > before);
            // While k3's key is being fetched, handshakes with cached keys go through at once.
            for (int i = 0; i < 4; i++) {
                accepted(raw, Tokens.rs256(K2, "k2", Tokens.claims("dave-" + i).build()));
            }
            assertThat(slow).isNotDone();
            assertThat(slow.get(10, TimeUnit.SECONDS).isOpen()).isTrue();
        } finally {
            jwks.delay(0);
        }
    }

    @Test
    void refetchesForUnknownKidsAreRateLimited() throws Exception {
        await().atMost(ArqonBusExtension.TIMEOUT).until(() -> limitedJwks.requests() >= 1);
        int before = limitedJwks.requests();
        for (int i = 0; i < 20; i++) {
            refused(limited, Tokens.rs256(K2, "made-up-" + i, Tokens.claims("eve").build()), INVALID);
        }
        assertThat(limitedJwks.requests() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void thePeriodicRefreshPicksUpNewKeys() throws Exception {
        periodicJwks.publish(List.of(rsa(K1, "k1"), rsa(K3, "k3")));
        int before = periodicJwks.requests();
        await().atMost(ArqonBusExtension.TIMEOUT).until(() -> periodicJwks.requests() >= before + 2);
        accepted(periodicClients, Tokens.rs256(K3, "k3", Tokens.claims("alice").build()));
    }

    @Test
    void anUnreachableJwksRefusesEveryTokenAndTheServerStaysUp() throws Exception {
        for (int i = 0; i < 3; i++) {
            refused(unreachable, Tokens.rs256(K1, "k1", Tokens.claims("alice").build()), INVALID);
        }
        assertThat(unreachable.bus().isReady()).isTrue();
    }
}
