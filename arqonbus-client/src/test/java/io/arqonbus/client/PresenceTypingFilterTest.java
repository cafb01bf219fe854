package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command helpers against a real server: presence, typing and filtered subscriptions (renewed after a reconnect). */
class PresenceTypingFilterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static ArqonBusClientBuilder builder() {
        return ArqonBusClient.builder(server.wsUri())
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(300)));
    }

    @Test
    void presenceListsTheMembersAndTypingReachesTheOthers() throws Exception {
        List<Envelope> seenByB = new CopyOnWriteArrayList<>();
        try (ArqonBusClient a = builder().build(); ArqonBusClient b = builder().onFrame((f, json) -> seenByB.add(f)).build()) {
            a.connect().get(10, TimeUnit.SECONDS);
            b.connect().get(10, TimeUnit.SECONDS);
            Subscription subA = a.subscribe("chat", "general", m -> { });
            Subscription subB = b.subscribe("chat", "general", m -> { });
            await().atMost(TIMEOUT).until(() -> subA.state() == Subscription.State.SUBSCRIBED
                    && subB.state() == Subscription.State.SUBSCRIBED);

            JsonNode channel = b.presence("chat", "general").get(10, TimeUnit.SECONDS);
            assertThat(channel.path("count").asInt()).isEqualTo(2);
            assertThat(channel.path("clients").findValuesAsText("client_id"))
                    .containsExactlyInAnyOrder(a.clientId(), b.clientId());
            JsonNode room = a.presence("chat").get(10, TimeUnit.SECONDS);
            assertThat(room.path("channel").isNull()).isTrue();
            assertThat(room.path("count").asInt()).isEqualTo(2);

            JsonNode typed = a.typing("chat", "general", TypingState.START).get(10, TimeUnit.SECONDS);
            assertThat(typed.path("state").asText()).isEqualTo("start");
            await().atMost(TIMEOUT).until(() -> seenByB.stream().anyMatch(f -> "typing".equals(f.payload().path("event").asText())
                    && a.clientId().equals(f.payload().path("client_id").asText())
                    && "start".equals(f.payload().path("state").asText())));

            assertThatThrownBy(() -> b.typing("chat", "elsewhere", TypingState.START).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ArqonBusException.class)
                    .satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo("NOT_FOUND"));
        }
    }

    @Test
    void aFilteredSubscriptionGetsWhatMatchesAndIsRenewedAfterAReconnect() throws Exception {
        Recorder got = new Recorder();
        try (ArqonBusClient publisher = builder().build(); ArqonBusClient watcher = builder().build()) {
            publisher.connect().get(10, TimeUnit.SECONDS);
            watcher.connect().get(10, TimeUnit.SECONDS);
            FilteredSubscription alerts = watcher.subscribeFilter(Filter.any().inRoom("ops").onChannel("alerts-*"), got);
            await().atMost(TIMEOUT).until(() -> alerts.subscriberId() != null);
            String firstId = alerts.subscriberId();

            publisher.publish("ops", "other", n(0), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            publisher.publish("ops", "alerts-cpu", n(1), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> got.numbers().equals(List.of(1)));
            assertThat(got.messages.get(0).channel()).isEqualTo("alerts-cpu");

            ServerSide.drop(server.bus(), watcher.clientId());
            await().atMost(TIMEOUT).until(() -> alerts.subscriberId() != null && !alerts.subscriberId().equals(firstId));
            publisher.publish("ops", "alerts-disk", n(2), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> got.numbers().equals(List.of(1, 2)));

            alerts.unsubscribe().get(10, TimeUnit.SECONDS);
            assertThat(alerts.isActive()).isFalse();
            // The server no longer knows the id: a second unsubscribe of it is NOT_FOUND.
            String lastId = firstId;
            assertThatThrownBy(() -> watcher.command("unsubscribe", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("subscriber_id", lastId)).get(10, TimeUnit.SECONDS))
                    .cause().satisfies(e -> assertThat(((ArqonBusException) e).code()).isEqualTo("NOT_FOUND"));
        }
    }

    @Test
    void aRefusedFilterEndsTheSubscriptionAndTellsTheListener() throws Exception {
        Recorder got = new Recorder();
        try (ArqonBusClient watcher = builder().build()) {
            watcher.connect().get(10, TimeUnit.SECONDS);
            FilteredSubscription bad = watcher.subscribeFilter(Filter.any().onChannel("a:b"), got);
            await().atMost(TIMEOUT).until(() -> !got.errors.isEmpty());
            assertThat(got.errors.get(0).code()).isEqualTo("INVALID_FILTER");
            assertThat(bad.isActive()).isFalse();
        }
    }
}
