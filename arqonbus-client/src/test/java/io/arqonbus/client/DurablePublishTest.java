package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Durable publications: the future completes with the stored offset; one made while the
 * connection is down is sent after the reconnect; a retry with the same idempotency key across a
 * reconnect is answered {@code duplicate: true} with the first offset and stored once.
 */
class DurablePublishTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    @Test
    void acksCarryTheOffsetAndARetryAcrossAReconnectIsADuplicate() throws Exception {
        GatedTokens gate = new GatedTokens();
        Recorder events = new Recorder();
        try (ArqonBusClient publisher = ArqonBusClient.builder(server.wsUri()).token(gate)
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300)))
                .onStateChange(events).build()) {
            publisher.connect().get(10, TimeUnit.SECONDS);
            DurableAck first = publisher.publish("ledger", "main", n(1), PublishOptions.durable().idempotencyKey("order-1"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(first.offset()).isEqualTo(1);
            assertThat(first.duplicate()).isFalse();

            gate.close();
            ServerSide.drop(server.bus(), publisher.clientId());
            await().atMost(TIMEOUT).until(() -> publisher.state() != ClientState.CONNECTED);
            CompletableFuture<DurableAck> whileAway = publisher.publish("ledger", "main", n(2), PublishOptions.durable());
            assertThat(whileAway).isNotDone();
            gate.open();

            DurableAck second = whileAway.get(10, TimeUnit.SECONDS);
            assertThat(second.offset()).isEqualTo(2);
            assertThat(second.duplicate()).isFalse();
            assertThat(events.connects()).isEqualTo(2);

            DurableAck retry = publisher.publish("ledger", "main", n(1), PublishOptions.durable().idempotencyKey("order-1"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.offset()).isEqualTo(1);
            assertThat(retry.epoch()).isEqualTo(first.epoch());

            Envelope history = publisher.command("history", JsonNodeFactory.instance.objectNode()
                    .put("room", "ledger").put("channel", "main").put("limit", 10)).get(10, TimeUnit.SECONDS);
            assertThat(history.payload().path("data").path("count").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aRefusedCommandFailsWithTheServersCode() throws Exception {
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> client.command("no_such_command", null).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo("UNKNOWN_COMMAND"));
        }
    }

    @Test
    void pendingCommandsFailWhenTheConnectionDropsButDurablePublicationsWait() throws Exception {
        GatedTokens gate = new GatedTokens();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(gate)
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300))).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            ServerSide.stopReading(server.bus(), client.clientId());
            CompletableFuture<Envelope> ping = client.command("ping", null);
            CompletableFuture<DurableAck> stored = client.publish("ledger", "drop", n(1), PublishOptions.durable());
            gate.close();
            ServerSide.drop(server.bus(), client.clientId());
            assertThatThrownBy(() -> ping.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo(ArqonBusException.CONNECTION_LOST));
            assertThat(stored).isNotDone();
            gate.open();
            assertThat(stored.get(10, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }

    @Test
    void aCommandWithoutAReplyFailsAfterItsTimeout() throws Exception {
        GatedTokens gate = new GatedTokens();
        gate.close();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(gate)
                .commandTimeout(Duration.ofMillis(200)).build()) {
            client.connect();
            CompletableFuture<Envelope> ping = client.command("ping", null);
            assertThatThrownBy(() -> ping.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo(ArqonBusException.TIMEOUT));
            gate.open();
        }
    }

    @Test
    void theOutboxIsBoundedWhileNotConnected() throws Exception {
        GatedTokens gate = new GatedTokens();
        gate.close();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri()).token(gate).outboxCapacity(2)
                .maxPendingPublications(1).build()) {
            CompletableFuture<Void> connecting = client.connect();
            CompletableFuture<Void> a = client.publish("box", "main", n(1));
            CompletableFuture<Void> b = client.publish("box", "main", n(2));
            CompletableFuture<Void> c = client.publish("box", "main", n(3));
            assertThat(c).isCompletedExceptionally();
            assertThatThrownBy(c::join).cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo(ArqonBusException.OUTBOX_FULL));
            CompletableFuture<DurableAck> d1 = client.publish("box", "main", n(4), PublishOptions.durable());
            CompletableFuture<DurableAck> d2 = client.publish("box", "main", n(5), PublishOptions.durable());
            assertThat(d2).isCompletedExceptionally();
            gate.open();
            connecting.get(10, TimeUnit.SECONDS);
            a.get(10, TimeUnit.SECONDS);
            b.get(10, TimeUnit.SECONDS);
            // After a connect: rejoins, then unacknowledged durable publications, then the outbox.
            assertThat(d1.get(10, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }
}
