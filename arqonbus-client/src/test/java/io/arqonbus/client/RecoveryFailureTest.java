package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Past the channel's retention the server cannot send what was missed: the subscription is told
 * ({@code recovered: false}, with the last position it saw and the channel's), and live traffic
 * goes on from the channel's position.
 */
class RecoveryFailureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxHistorySize(3));

    @Test
    void aGapLongerThanTheHistoryIsReportedAndLiveTrafficGoesOn() throws Exception {
        GatedTokens gate = new GatedTokens();
        Recorder reader = new Recorder();
        ReconnectPolicy quick = ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300));
        try (ArqonBusClient subscriber = ArqonBusClient.builder(server.wsUri()).token(gate).reconnect(quick)
                .onStateChange(reader).build();
             ArqonBusClient publisher = ArqonBusClient.builder(server.wsUri()).build()) {
            subscriber.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            Subscription feed = subscriber.subscribe("feed", "retention", reader);
            await().atMost(TIMEOUT).until(() -> feed.state() == Subscription.State.SUBSCRIBED);
            publisher.publish("feed", "retention", n(1), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> reader.numbers().size() == 1);

            gate.close();
            ServerSide.drop(server.bus(), subscriber.clientId());
            await().atMost(TIMEOUT).until(() -> reader.events.stream()
                    .anyMatch(e -> e.state() == ClientState.DISCONNECTED && e.code() == CloseCodeTable.ABNORMAL));
            for (int i = 2; i <= 8; i++) {
                publisher.publish("feed", "retention", n(i), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            }
            gate.open();

            await().atMost(TIMEOUT).until(() -> reader.recoveryFailures.size() == 1);
            RecoveryFailure failure = reader.recoveryFailures.get(0);
            assertThat(failure.lastSeen().offset()).isEqualTo(1);
            assertThat(failure.channelPosition().offset()).isEqualTo(8);
            assertThat(failure.missed()).isEqualTo(7);
            assertThat(failure.epochChanged()).isFalse();
            assertThat(reader.subscribed.get(reader.subscribed.size() - 1).recovered()).isFalse();

            publisher.publish("feed", "retention", n(9), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> reader.numbers().size() == 2);
            assertThat(reader.numbers()).containsExactly(1, 9);
            assertThat(feed.lastPosition().offset()).isEqualTo(9);
        }
    }
}
