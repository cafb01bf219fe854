package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server with the file store is stopped and started again on the same data directory and
 * port: the SDK reconnects by itself, rejoins with its last position, and receives exactly the
 * publications it missed while it was away, then live traffic.
 */
class RestartRecoveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    private ArqonBus start(int port) {
        ArqonBus bus = ArqonBus.builder().config(ArqonBusExtension.testConfig(b -> b.port(port).telemetryPort(-1)
                .httpPort(-1).shutdownGrace(Duration.ofMillis(200)).store(StoreLocation.file(data.resolve("history")))))
                .build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        return bus;
    }

    static ObjectNode n(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void reconnectsAfterARestartAndRecoversExactlyTheMissedPublications() throws Exception {
        ArqonBus bus = start(0);
        int port = bus.busAddress().getPort();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/");
        GatedTokens gate = new GatedTokens();
        Recorder reader = new Recorder();
        ReconnectPolicy quick = ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300));
        try (ArqonBusClient subscriber = ArqonBusClient.builder(uri).token(gate).reconnect(quick).onStateChange(reader).build();
             ArqonBusClient publisher = ArqonBusClient.builder(uri).reconnect(quick).build()) {
            subscriber.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            Subscription feed = subscriber.subscribe("feed", "main", reader);
            await().atMost(TIMEOUT).until(() -> feed.state() == Subscription.State.SUBSCRIBED);

            String epoch = null;
            for (int i = 1; i <= 3; i++) {
                DurableAck ack = publisher.publish("feed", "main", n(i), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
                assertThat(ack.offset()).isEqualTo(i);
                assertThat(ack.duplicate()).isFalse();
                epoch = ack.epoch();
            }
            await().atMost(TIMEOUT).until(() -> reader.numbers().equals(List.of(1, 2, 3)));

            gate.close();
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
            await().atMost(TIMEOUT).until(() -> reader.events.stream()
                    .anyMatch(e -> e.state() == ClientState.DISCONNECTED && e.code() == 1001));
            bus = start(port);
            await().atMost(TIMEOUT).until(() -> publisher.state() == ClientState.CONNECTED);

            for (int i = 4; i <= 6; i++) {
                DurableAck ack = publisher.publish("feed", "main", n(i), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
                assertThat(ack.offset()).isEqualTo(i);
                assertThat(ack.epoch()).isEqualTo(epoch);
            }
            assertThat(reader.numbers()).containsExactly(1, 2, 3);

            gate.open();
            await().atMost(TIMEOUT).until(() -> reader.numbers().size() >= 6);
            assertThat(reader.numbers()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(reader.messages).extracting(m -> m.position().offset()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            SubscribedEvent rejoin = reader.subscribed.get(reader.subscribed.size() - 1);
            assertThat(rejoin.resubscribe()).isTrue();
            assertThat(rejoin.recoveryAsked()).isTrue();
            assertThat(rejoin.recovered()).isTrue();
            assertThat(rejoin.missed()).isEqualTo(3);
            assertThat(reader.recoveryFailures).isEmpty();

            publisher.publish("feed", "main", n(7), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> reader.numbers().size() >= 7);
            assertThat(reader.numbers()).containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(feed.lastPosition().offset()).isEqualTo(7);
        } finally {
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
