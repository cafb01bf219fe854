package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission under a reconnect storm: while more handshakes are in progress than
 * {@code maxPendingHandshakes} allows, a new upgrade is answered at once and closed with 1013
 * {@code server busy: retry with backoff} — none waits, none is refused any other way — and every
 * client gets in by retrying with backoff once the load is gone, while connected clients are
 * served throughout.
 */
class HandshakeSheddingTest {
    private static final String SECRET = "a-shedding-test-secret-of-at-least-32-bytes";
    private static final int BOUND = 3;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(SECRET)
            .maxPendingHandshakes(BOUND)
            .handshakeTimeout(Duration.ofSeconds(60)));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void closeStalled() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
    }

    private static Map<String, String> bearer(String sub) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return Map.of("Authorization", "Bearer " + jwt.serialize());
    }

    /** Connections that were accepted and never send their upgrade: handshakes in progress. */
    private void stall(int count) throws IOException {
        InetSocketAddress address = server.bus().busAddress();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(address, (int) T.toMillis());
            stalled.add(socket);
        }
    }

    private static CompletableFuture<TestClient> attempt(Map<String, String> headers) {
        return TestClient.connect(server.wsUri(), headers).orTimeout(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void pastTheBoundABurstIsShedWith1013AtOnceNeighboursAreServedAndEveryoneGetsInOnRetry() throws Exception {
        TestClient neighbour = server.connect(bearer("neighbour"));
        assertThat(neighbour.joinChannel("room", "news").get(T.toSeconds(), TimeUnit.SECONDS)
                .path("status").asText()).isEqualTo("success");
        TestClient publisher = server.connect(bearer("publisher"));

        stall(BOUND);
        // Once the stalled connections are counted, every new upgrade is over the bound.
        await().atMost(T).ignoreExceptions().untilAsserted(() -> assertThatThrownBy(() -> attempt(bearer("probe")).join())
                .hasMessageContaining("code=1013"));

        int burst = 30;
        List<CompletableFuture<TestClient>> attempts = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            attempts.add(attempt(bearer("storm-" + i)));
        }
        publisher.publish("room", "news", Map.of("during", "burst"));
        for (CompletableFuture<TestClient> each : attempts) {
            // answered, not queued: a close with 1013 and the reason, well within the client's timeout
            assertThatThrownBy(each::join).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("code=1013")
                    .hasMessageContaining("server busy: retry with backoff");
        }
        assertThat(server.components().metrics().registry().counter("arqonbus.limit.closes",
                "reason", "handshakes_in_progress").count()).isGreaterThanOrEqualTo(burst);
        JsonNode delivered = neighbour.await(f -> "burst".equals(f.path("payload").path("during").asText()), T);
        assertThat(delivered.path("channel").asText()).isEqualTo("news");
        assertThat(neighbour.command("ping", null).get(T.toSeconds(), TimeUnit.SECONDS).path("status").asText())
                .isEqualTo("success");

        closeStalled();
        stalled.clear();
        // Every client of the burst retries with jittered backoff, all at once, and gets in.
        AtomicInteger refusedOnRetry = new AtomicInteger();
        List<CompletableFuture<TestClient>> retries = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            Map<String, String> headers = bearer("storm-" + i);
            retries.add(CompletableFuture.supplyAsync(() -> retryUntilWelcomed(headers, refusedOnRetry)));
        }
        for (CompletableFuture<TestClient> each : retries) {
            TestClient client = each.get(2 * T.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.welcome().path("type").asText()).isNotEmpty();
            assertThat(client.command("ping", null).get(T.toSeconds(), TimeUnit.SECONDS).path("status").asText())
                    .isEqualTo("success");
            client.close();
        }
        assertThat(neighbour.isClosed()).isFalse();
    }

    @Test
    void underTheBoundNothingIsShed() throws Exception {
        stall(BOUND - 1);
        // (connections another test left behind may still be closing: wait for them, not for a shed)
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            TestClient client = attempt(bearer("calm")).get(T.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.command("ping", null).get(T.toSeconds(), TimeUnit.SECONDS).path("status").asText())
                    .isEqualTo("success");
            client.close();
        });
    }

    /** What the SDKs do on 1013: wait a random time below a doubling ceiling and try again. */
    private static TestClient retryUntilWelcomed(Map<String, String> headers, AtomicInteger refused) {
        long ceiling = 20;
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            try {
                return attempt(headers).join();
            } catch (CompletionException e) {
                if (!String.valueOf(e.getMessage()).contains("code=1013") || System.nanoTime() > deadline) {
                    throw e;
                }
                refused.incrementAndGet();
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1)); // the client's backoff
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ceiling = Math.min(ceiling * 2, 500);
        }
    }
}
