package io.arqonbus.server.internal.embed;

import io.arqonbus.server.subscribe.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.subscribe.SubscriptionFilter;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host application's side of the bus: publish/emit, subscribe, and the builder shortcuts. */
class EmbeddingApiTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    record Spell(String spell_name, boolean success) {
    }

    @Test
    void publishAndEmitReachWebSocketClients() throws Exception {
        TestClient client = server.connect();
        client.joinChannel("embed-a", "events").get(10, TimeUnit.SECONDS);

        Envelope sent = server.bus().publish("embed-a", "events", Map.of("spell_name", "summon", "success", true));
        assertThat(sent.position().offset()).isEqualTo(1);
        JsonNode map = client.await(f -> "embed-a".equals(f.path("room").asText()), T);
        assertThat(map.path("type").asText()).isEqualTo("message");
        assertThat(map.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(map.path("payload").path("spell_name").asText()).isEqualTo("summon");
        assertThat(map.path("id").asText()).isEqualTo(sent.id());

        server.bus().emit("embed-a", "events", new Spell("banish", false));
        JsonNode record = client.await(f -> "embed-a".equals(f.path("room").asText()), T);
        assertThat(record.path("type").asText()).isEqualTo("event");
        assertThat(record.path("payload").path("spell_name").asText()).isEqualTo("banish");
        assertThat(record.path("payload").path("success").asBoolean()).isFalse();
        assertThat(record.path("metadata").path("offset").asLong()).isEqualTo(2);

        server.bus().publish("embed-a", "events", (Object) null);
        JsonNode empty = client.await(f -> "embed-a".equals(f.path("room").asText()), T);
        assertThat(empty.path("payload").isObject()).isTrue();
        assertThat(empty.path("payload").size()).isZero();
    }

    @Test
    void badArgumentsAreRefusedWithASentence() {
        ArqonBus bus = server.bus();
        assertThatThrownBy(() -> bus.publish("a:b", "c", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room 'a:b'");
        assertThatThrownBy(() -> bus.publish("a", "has space", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 'has space'");
        assertThatThrownBy(() -> bus.publish("a", null, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish("a", "b", List.of(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> bus.emit("a", "b", "text")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscribersGetClientPublicationsOffTheEventLoopsInOrder() throws Exception {
        List<Envelope> got = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        TestClient client = server.connect();
        try (Subscription subscription = server.bus().subscribe(
                new SubscriptionFilter("embed-b", "cmd-*", null, Set.of()), envelope -> {
                    got.add(envelope);
                    threads.add(Thread.currentThread());
                })) {
            for (int i = 1; i <= 50; i++) {
                client.publish("embed-b", "cmd-x", Map.of("n", i));
            }
            client.publish("embed-b", "other", Map.of("n", -1));
            server.bus().publish("embed-b", "cmd-x", Map.of("n", -2));
            await().atMost(T).until(() -> got.size() >= 50);
            assertThat(got).extracting(e -> e.payload().path("n").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
            assertThat(got).allSatisfy(e -> {
                assertThat(e.sender()).isEqualTo(client.clientId());
                assertThat(e.type()).isEqualTo(MessageType.MESSAGE);
            });
            assertThat(threads).allSatisfy(t -> {
                assertThat(t.isVirtual()).isTrue();
                assertThat(t.getName()).startsWith("arqonbus-subscriber-");
            });
            assertThat(subscription.delivered()).isEqualTo(50);
            assertThat(subscription.dropped()).isZero();
        }
        // The host's own publication and the other channel were never offered; a closed subscription gets nothing.
        client.publish("embed-b", "cmd-x", Map.of("n", 51));
        client.await(f -> "message_response".equals(f.path("type").asText())
                && f.path("payload").path("n").asInt() == 51, T);
        assertThat(got).hasSize(50);
    }

    @Test
    void aFilterNamingTheServerSenderSeesTheHostsOwnPublications() {
        List<Envelope> got = new CopyOnWriteArrayList<>();
        try (Subscription ignored = server.bus().subscribe(
                new SubscriptionFilter("embed-c", null, "arqonbus", Set.of("event")), got::add)) {
            server.bus().publish("embed-c", "x", Map.of("n", 1));
            server.bus().emit("embed-c", "x", Map.of("n", 2));
            await().atMost(T).until(() -> got.size() == 1);
            assertThat(got.get(0).payload().path("n").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aSlowHandlerLosesOnlyItsOwnOverflowCountedAndTheClientsAreUnaffected() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Envelope> slowGot = new CopyOnWriteArrayList<>();
        TestClient publisher = server.connect();
        TestClient member = server.connect();
        member.joinChannel("embed-d", "flood").get(10, TimeUnit.SECONDS);
        try (Subscription slow = server.bus().subscribe(new SubscriptionFilter("embed-d", null, null, Set.of()),
                envelope -> {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slowGot.add(envelope);
                }, 4)) {
            publisher.publish("embed-d", "flood", Map.of("n", 1));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // The handler holds #1; #2..#5 fill the queue of 4; #6..#20 do not fit.
            for (int i = 2; i <= 20; i++) {
                publisher.publish("embed-d", "flood", Map.of("n", i));
            }
            for (int i = 1; i <= 20; i++) {
                int n = i;
                member.await(f -> f.path("payload").path("n").asInt() == n, T);
            }
            await().atMost(T).until(() -> slow.dropped() == 15);
            assertThat(slow.pending()).isEqualTo(4);
            release.countDown();
            await().atMost(T).until(() -> slowGot.size() == 5);
            assertThat(slowGot).extracting(e -> e.payload().path("n").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(slow.delivered()).isEqualTo(5);
        }
    }

    @Test
    void aThrowingHandlerKeepsReceiving() throws Exception {
        List<Integer> got = new CopyOnWriteArrayList<>();
        TestClient client = server.connect();
        try (Subscription subscription = server.bus().subscribe(new SubscriptionFilter("embed-e", null, null,
                Set.of()), envelope -> {
                    int n = envelope.payload().path("n").asInt();
                    got.add(n);
                    if (n == 1) {
                        throw new IllegalStateException("host bug");
                    }
                })) {
            client.publish("embed-e", "x", Map.of("n", 1));
            client.publish("embed-e", "x", Map.of("n", 2));
            await().atMost(T).until(() -> got.size() == 2);
            assertThat(subscription.failed()).isEqualTo(1);
            assertThat(subscription.delivered()).isEqualTo(1);
        }
    }

    @Test
    void aBusBuiltWithTheShortcutsRunsAndStopsAndRefusesUseWhenStopped() throws Exception {
        ArqonBus bus = ArqonBus.builder().host("127.0.0.1").ephemeralPorts().telemetryPort(-1).recentEvents(5)
                .configure(b -> b.ioThreads(1).statsInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(1))).build();
        assertThatThrownBy(() -> bus.subscribe(SubscriptionFilter.ALL, e -> { }))
                .isInstanceOf(IllegalStateException.class);
        try (bus) {
            assertThat(bus.start().get(30, TimeUnit.SECONDS)).isSameAs(bus);
            assertThat(bus.start()).isSameAs(bus.start());
            assertThat(bus.busAddress().getPort()).isPositive();
            assertThat(bus.httpAddress().getPort()).isPositive();
            assertThat(bus.telemetryAddress()).isNull();
            assertThat(bus.config().history().recentEventsSize()).isEqualTo(5);
            Subscription subscription = bus.subscribe(SubscriptionFilter.ALL, e -> { });
            List<Envelope> got = new CopyOnWriteArrayList<>();
            bus.subscribe(SubscriptionFilter.ALL, got::add);
            URI uri = URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
            try (TestClient client = TestClient.connect(uri).get(10, TimeUnit.SECONDS)) {
                client.publish("short", "cut", Map.of("n", 1));
                await().atMost(T).until(() -> got.size() == 1);
            }
            bus.stop().get(30, TimeUnit.SECONDS);
            assertThat(subscription.isClosed()).isTrue();
        }
        assertThatThrownBy(() -> bus.publish("a", "b", Map.of())).isInstanceOf(IllegalStateException.class);
    }
}
