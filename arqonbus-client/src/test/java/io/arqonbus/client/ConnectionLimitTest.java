package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1013 from the server's own connection limit: the client keeps trying with backoff (each delay
 * within the policy's ceiling) and gets in once a slot is free.
 */
class ConnectionLimitTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxConnections(1));

    @Test
    void tryAgainLaterIsRetriedWithBackoffUntilASlotIsFree() throws Exception {
        TestClient holder = server.connect();
        Recorder recorder = new Recorder();
        ReconnectPolicy policy = ReconnectPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(200));
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).reconnect(policy).onStateChange(recorder).build()) {
            CompletableFuture<Void> connected = client.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.events.stream()
                    .filter(e -> e.state() == ClientState.DISCONNECTED && e.code() == 1013).count() >= 3);
            assertThat(connected).isNotDone();
            int attempt = 0;
            for (ConnectionEvent e : recorder.events) {
                if (e.state() == ClientState.DISCONNECTED) {
                    assertThat(e.retryIn()).isLessThanOrEqualTo(policy.ceiling(attempt++));
                }
            }
            holder.close();
            await().atMost(Duration.ofSeconds(20)).until(connected::isDone);
            assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
        }
    }
}
