package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1009 from a real server whose maximum frame size a publication exceeds: the publication fails
 * with {@code message_too_big} and is never sent again (a durable one is not resent after the
 * reconnect, where it would be refused once more), and the client reconnects.
 */
class MessageTooBigTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /**
     * Small enough that the JDK's WebSocket sends the publication as one frame (it splits a long
     * text into fragments, which the server reassembles and refuses with PAYLOAD_TOO_LARGE instead).
     */
    private static final int MAX_FRAME = 2048;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxMessageSize(MAX_FRAME).maxFrameSize(MAX_FRAME));

    @Test
    void anOversizedDurablePublicationFailsOnceAndTheClientReconnects() throws Exception {
        Recorder recorder = new Recorder();
        try (ArqonBusClient client = ArqonBusClient.builder(server.wsUri())
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300)))
                .onStateChange(recorder).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            String firstId = client.clientId();
            ObjectNode big = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(MAX_FRAME + 1000));
            CompletableFuture<DurableAck> tooBig = client.publish("limits", "big", big, PublishOptions.durable());

            assertThatThrownBy(() -> tooBig.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo(ArqonBusException.MESSAGE_TOO_BIG));
            await().atMost(TIMEOUT).until(() -> recorder.connects() == 2);
            ConnectionEvent dropped = recorder.events.stream().filter(e -> e.state() == ClientState.DISCONNECTED)
                    .findFirst().orElseThrow();
            assertThat(dropped.code()).isEqualTo(1009);
            assertThat(client.clientId()).isNotEqualTo(firstId);

            DurableAck small = client.publish("limits", "big", RestartRecoveryTest.n(1), PublishOptions.durable())
                    .get(10, TimeUnit.SECONDS);
            assertThat(small.offset()).isEqualTo(1);
            // Never resent: the reconnected connection stays up and only the small one is stored.
            await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> recorder.connects() == 2
                    && client.state() == ClientState.CONNECTED);
            Envelope history = client.command("history", JsonNodeFactory.instance.objectNode()
                    .put("room", "limits").put("channel", "big").put("limit", 10)).get(10, TimeUnit.SECONDS);
            assertThat(history.payload().path("data").path("count").asInt()).isEqualTo(1);
        }
    }
}
