package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of the close-code table against a real server: the server closes the client's
 * connection with the code (a real close frame through the server's own disconnector; 1006 is a
 * connection dropped without one), and the client reconnects and rejoins, or stops.
 */
class CloseCodeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static ArqonBusClient client(GatedTokens tokens, Recorder recorder) {
        return ArqonBusClient.builder(server.wsUri()).token(tokens)
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300)))
                .onStateChange(recorder).build();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "1000, STOP", "1001, RECONNECT", "1006, RECONNECT", "1011, RECONNECT", "1013, RECONNECT",
            "4001, RECONNECT", "4002, RECONNECT", "4004, RECONNECT", "1008, STOP", "4000, STOP", "1002, STOP",
            "1009, STOP", "4003, RECONNECT_WITH_NEW_TOKEN"})
    void theClientDoesWhatTheTableSays(int code, CloseAction action) throws Exception {
        assertThat(CloseCodeTable.actionFor(code)).isEqualTo(action);
        GatedTokens tokens = new GatedTokens();
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = client(tokens, recorder)) {
            client.connect().get(10, TimeUnit.SECONDS);
            Subscription sub = client.subscribe("codes", "c" + code, recorder);
            await().atMost(TIMEOUT).until(() -> sub.state() == Subscription.State.SUBSCRIBED);
            String firstId = client.clientId();
            if (code == CloseCodeTable.ABNORMAL) {
                ServerSide.drop(server.bus(), firstId);
            } else {
                ServerSide.close(server.bus(), firstId, code, "test close " + code);
            }
            if (action == CloseAction.STOP) {
                await().atMost(TIMEOUT).until(() -> client.state() == ClientState.CLOSED);
                ConnectionEvent last = recorder.events.get(recorder.events.size() - 1);
                assertThat(last.code()).isEqualTo(code);
                assertThat(recorder.states()).doesNotContain(ClientState.DISCONNECTED);
                assertThat(tokens.calls()).isEqualTo(1);
                assertThat(sub.state()).isEqualTo(Subscription.State.UNSUBSCRIBED);
            } else {
                await().atMost(TIMEOUT).until(() -> recorder.connects() == 2
                        && sub.state() == Subscription.State.SUBSCRIBED);
                ConnectionEvent disconnected = recorder.events.stream()
                        .filter(e -> e.state() == ClientState.DISCONNECTED).findFirst().orElseThrow();
                assertThat(disconnected.code()).isEqualTo(code);
                assertThat(disconnected.retryIn()).isLessThanOrEqualTo(Duration.ofMillis(20));
                assertThat(client.clientId()).isNotEqualTo(firstId);
                assertThat(recorder.subscribed.get(1).resubscribe()).isTrue();
                assertThat(recorder.subscribed.get(1).recovered()).isTrue();
            }
        }
    }

    @Test
    void tokenExpiredWithoutANewTokenStops() throws Exception {
        GatedTokens tokens = new GatedTokens().sameTokenAlways();
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = client(tokens, recorder)) {
            client.connect().get(10, TimeUnit.SECONDS);
            ServerSide.close(server.bus(), client.clientId(), 4003, "token expired");
            await().atMost(TIMEOUT).until(() -> client.state() == ClientState.CLOSED);
            assertThat(recorder.events.get(recorder.events.size() - 1).code()).isEqualTo(4003);
            assertThat(recorder.connects()).isEqualTo(1);
        }
    }

    @Test
    void theApplicationsCloseStopsAndFailsWhatIsPending() throws Exception {
        Recorder recorder = new Recorder();
        ArqonBusClient client = client(new GatedTokens(), recorder);
        client.connect().get(10, TimeUnit.SECONDS);
        client.close();
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(recorder.events.get(recorder.events.size() - 1).code()).isEqualTo(CloseCodeTable.NORMAL);
        assertThat(client.publish("codes", "x", RestartRecoveryTest.n(1))).isCompletedExceptionally();
    }
}
