package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's keep-alive. A real server process frozen with SIGSTOP (a silent server: the TCP
 * connection stays open, nothing answers) is noticed within interval + timeout (plus slack for a
 * loaded machine), reported as a 1006 {@code keep-alive timeout} disconnect; after SIGCONT the
 * client reconnects by itself and recovers by position the publications it missed. A healthy idle
 * connection (the server's own keep-alive off, so only the client's pings and their pongs cross
 * it) stays open over many intervals, and the server's own pings are still answered.
 */
@Timeout(120)
class KeepAliveTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(1);
    /** interval + timeout, plus slack for a busy two-core machine. */
    private static final Duration DETECTION_BOUND = INTERVAL.plus(KEEPALIVE_TIMEOUT).plusSeconds(5);
    private static final Duration T = Duration.ofSeconds(30);
    private static final ReconnectPolicy QUICK = ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300));

    @RegisterExtension
    static final ArqonBusExtension quietServer = new ArqonBusExtension(b -> b.keepAliveInterval(Duration.ZERO));

    @RegisterExtension
    static final ArqonBusExtension pingingServer = new ArqonBusExtension(b -> b.keepAliveInterval(Duration.ofSeconds(1))
            .keepAliveTimeout(Duration.ofSeconds(1)));

    @TempDir
    Path dir;

    static ObjectNode n(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void aFrozenServerIsNoticedWithinIntervalPlusTimeoutAndTheClientRecoversAfterItResumes() throws Exception {
        try (BusProcess server = BusProcess.start(dir.resolve("server.log"))) {
            GatedTokens gate = new GatedTokens();
            Recorder reader = new Recorder();
            try (ArqonBusClient subscriber = ArqonBusClient.builder(server.uri()).token(gate).reconnect(QUICK)
                            .keepAlive(INTERVAL, KEEPALIVE_TIMEOUT).onStateChange(reader).build();
                    ArqonBusClient publisher = ArqonBusClient.builder(server.uri()).reconnect(QUICK).noKeepAlive()
                            .commandTimeout(T).build()) {
                subscriber.connect().get(20, TimeUnit.SECONDS);
                publisher.connect().get(20, TimeUnit.SECONDS);
                Subscription feed = subscriber.subscribe("feed", "main", reader);
                await().atMost(T).until(() -> feed.state() == Subscription.State.SUBSCRIBED);
                for (int i = 1; i <= 3; i++) {
                    publisher.publish("feed", "main", n(i), PublishOptions.durable()).get(20, TimeUnit.SECONDS);
                }
                await().atMost(T).until(() -> reader.numbers().equals(List.of(1, 2, 3)));

                gate.close(); // the reconnect waits until the missed publications are stored
                server.freeze();
                long frozenAt = System.nanoTime();
                await().atMost(DETECTION_BOUND).pollInterval(Duration.ofMillis(20))
                        .until(() -> reader.events.stream().anyMatch(e -> e.state() == ClientState.DISCONNECTED));
                long detectedMillis = (System.nanoTime() - frozenAt) / 1_000_000;
                ConnectionEvent lost = reader.events.stream().filter(e -> e.state() == ClientState.DISCONNECTED)
                        .findFirst().orElseThrow();
                assertThat(lost.code()).isEqualTo(CloseCodeTable.ABNORMAL);
                assertThat(lost.reason()).startsWith("keep-alive timeout");
                assertThat(detectedMillis).isGreaterThanOrEqualTo(KEEPALIVE_TIMEOUT.toMillis());

                server.thaw();
                for (int i = 4; i <= 6; i++) {
                    publisher.publish("feed", "main", n(i), PublishOptions.durable()).get(30, TimeUnit.SECONDS);
                }
                assertThat(reader.numbers()).containsExactly(1, 2, 3);
                gate.open();
                await().atMost(T).until(() -> reader.numbers().size() >= 6);
                assertThat(reader.numbers()).containsExactly(1, 2, 3, 4, 5, 6);
                SubscribedEvent rejoin = reader.subscribed.get(reader.subscribed.size() - 1);
                assertThat(rejoin.resubscribe()).isTrue();
                assertThat(rejoin.recovered()).isTrue();
                assertThat(rejoin.missed()).isEqualTo(3);
                assertThat(reader.recoveryFailures).isEmpty();
                assertThat(subscriber.state()).isEqualTo(ClientState.CONNECTED);

                publisher.publish("feed", "main", n(7), PublishOptions.durable()).get(20, TimeUnit.SECONDS);
                await().atMost(T).until(() -> reader.numbers().size() >= 7);
                assertThat(reader.numbers()).containsExactly(1, 2, 3, 4, 5, 6, 7);
                System.out.println("event=fault_test kind=client_keepalive keepalive_interval_ms=" + INTERVAL.toMillis()
                        + " keepalive_timeout_ms=" + KEEPALIVE_TIMEOUT.toMillis() + " detected_ms=" + detectedMillis
                        + " reason=\"" + lost.reason() + "\" recovered=" + rejoin.missed());
            }
        }
    }

    @Test
    void aHealthyIdleConnectionStaysOpenOverManyIntervals() throws Exception {
        Recorder events = new Recorder();
        Duration interval = Duration.ofMillis(300);
        try (ArqonBusClient client = ArqonBusClient.builder(quietServer.wsUri()).keepAlive(interval, Duration.ofSeconds(2))
                .onStateChange(events).build()) {
            client.connect().get(20, TimeUnit.SECONDS);
            // Only pings and pongs cross this connection: were a pong not taken as life, the client
            // would drop it after 2.3 s.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> client.state() == ClientState.CONNECTED);
            assertThat(events.states()).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
        }
    }

    @Test
    void theServersPingsAreStillAnsweredWithTheClientsOwnKeepAliveOff() throws Exception {
        Recorder events = new Recorder();
        try (ArqonBusClient client = ArqonBusClient.builder(pingingServer.wsUri()).noKeepAlive().onStateChange(events)
                .build()) {
            client.connect().get(20, TimeUnit.SECONDS);
            // The server pings after 1 s of quiet and closes with 1011 one second later unless the
            // JDK answers (the SDK watches pings and pongs for its keep-alive, the JDK still answers).
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> client.state() == ClientState.CONNECTED);
            assertThat(events.states()).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
        }
    }

    @Test
    void aKeepAliveOfZeroOrNothingIsRefusedWithItsName() {
        ArqonBusClientBuilder builder = ArqonBusClient.builder(java.net.URI.create("ws://127.0.0.1:9/"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.keepAlive(Duration.ZERO, Duration.ofSeconds(1)))
                .withMessage("keepAlive interval: PT0S (expected: > 0)");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.keepAlive(Duration.ofSeconds(1), null))
                .withMessage("keepAlive timeout: null (expected: > 0)");
    }
}
