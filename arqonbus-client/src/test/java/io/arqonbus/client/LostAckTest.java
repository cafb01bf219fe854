package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ack of a durable publication is lost after the server stored it: a proxy on loopback holds
 * the server's replies, the test waits until the publication is in the channel's history, then
 * cuts the connection. The SDK resends it after the reconnect with the same id and idempotency
 * key; the server (file store) answers {@code duplicate: true} with the first offset, and it is
 * stored once.
 */
class LostAckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.store(StoreLocation.file(dataDir())));

    private static java.nio.file.Path dataDir() {
        try {
            return java.nio.file.Files.createTempDirectory("arqonbus-lost-ack").resolve("history");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPublicationStoredBeforeItsAckWasLostIsAnsweredDuplicateAndStoredOnce() throws Exception {
        List<Envelope> acks = new CopyOnWriteArrayList<>();
        Recorder events = new Recorder();
        try (LoopbackProxy proxy = new LoopbackProxy(server.wsUri().getPort());
             ArqonBusClient reader = ArqonBusClient.builder(server.wsUri()).build();
             ArqonBusClient publisher = ArqonBusClient.builder(proxy.front(server.wsUri()))
                     .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300)))
                     .onStateChange(events)
                     .onFrame((frame, json) -> {
                         if (frame.type() == io.arqonbus.protocol.MessageType.ACK) {
                             acks.add(frame);
                         }
                     }).build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);

            proxy.holdReplies();
            CompletableFuture<DurableAck> ack = publisher.publish("ledger", "lost", n(1), PublishOptions.durable());
            await().atMost(TIMEOUT).until(() -> historyCount(reader) == 1);
            assertThat(ack).isNotDone();
            assertThat(acks).isEmpty();
            proxy.cut();

            DurableAck answered = ack.get(20, TimeUnit.SECONDS);
            assertThat(answered.duplicate()).isTrue();
            assertThat(answered.offset()).isEqualTo(1);
            assertThat(events.connects()).isEqualTo(2);
            assertThat(events.events.stream().filter(e -> e.state() == ClientState.DISCONNECTED).findFirst().orElseThrow()
                    .code()).isEqualTo(CloseCodeTable.ABNORMAL);
            assertThat(acks).singleElement().satisfies(a -> {
                assertThat(a.payload().path("duplicate").asBoolean()).isTrue();
                assertThat(a.requestId()).isEqualTo(answered.messageId());
            });
            assertThat(historyCount(reader)).isEqualTo(1);
        }
    }

    private static int historyCount(ArqonBusClient reader) throws Exception {
        Envelope history = reader.command("history", JsonNodeFactory.instance.objectNode()
                .put("room", "ledger").put("channel", "lost").put("limit", 10)).get(10, TimeUnit.SECONDS);
        return history.payload().path("data").path("count").asInt();
    }
}
