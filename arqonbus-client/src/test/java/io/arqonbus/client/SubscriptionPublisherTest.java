package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link java.util.concurrent.Flow.Publisher} adapter against a real server: nothing passes
 * without demand, what waits is bounded by the buffer with its overflow policy, cancel leaves.
 */
class SubscriptionPublisherTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    /** Records what it gets; requests only when the test says. */
    static final class Probe implements Flow.Subscriber<Envelope> {
        final List<Integer> numbers = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Envelope item) {
            numbers.add(item.payload().path("n").asInt());
        }

        @Override
        public void onError(Throwable throwable) {
            errors.add(throwable);
        }

        @Override
        public void onComplete() {
        }
    }

    private static void publish(ArqonBusClient publisher, String channel, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            publisher.publish("flow", channel, n(i), PublishOptions.durable()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void publicationsPassOnlyAsRequested() throws Exception {
        try (ArqonBusClient reader = ArqonBusClient.builder(server.wsUri()).build();
             ArqonBusClient publisher = ArqonBusClient.builder(server.wsUri()).build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            SubscriptionPublisher flow = reader.publisher("flow", "demand", SubscriptionOptions.defaults());
            Probe probe = new Probe();
            flow.subscribe(probe);
            await().atMost(TIMEOUT).until(() -> flow.subscription().state() == Subscription.State.SUBSCRIBED);

            publish(publisher, "demand", 1, 10);
            probe.subscription.request(3);
            await().atMost(TIMEOUT).until(() -> probe.numbers.size() == 3);
            await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> probe.numbers.size() == 3);
            probe.subscription.request(100);
            await().atMost(TIMEOUT).until(() -> probe.numbers.equals(IntStream.rangeClosed(1, 10).boxed().toList()));

            probe.subscription.cancel();
            await().atMost(TIMEOUT).until(() -> flow.subscription().state() == Subscription.State.UNSUBSCRIBED);
            Probe second = new Probe();
            flow.subscribe(second);
            assertThat(second.errors).singleElement().isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withoutDemandTheBufferIsBoundedAndDropsOldest() throws Exception {
        try (ArqonBusClient reader = ArqonBusClient.builder(server.wsUri()).build();
             ArqonBusClient publisher = ArqonBusClient.builder(server.wsUri()).build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            SubscriptionPublisher flow = reader.publisher("flow", "bounded",
                    SubscriptionOptions.defaults().bufferCapacity(4).overflow(OverflowPolicy.DROP_OLDEST));
            Probe probe = new Probe();
            flow.subscribe(probe);
            await().atMost(TIMEOUT).until(() -> flow.subscription().state() == Subscription.State.SUBSCRIBED);
            probe.subscription.request(1);

            publish(publisher, "bounded", 1, 20);
            // 1 went through; 2 waits for demand in the listener; the buffer holds the newest 4.
            await().atMost(TIMEOUT).until(() -> flow.subscription().dropped() == 14 && flow.subscription().buffered() == 4);
            assertThat(probe.numbers).containsExactly(1);
            probe.subscription.request(Long.MAX_VALUE);
            await().atMost(TIMEOUT).until(() -> probe.numbers.equals(List.of(1, 2, 17, 18, 19, 20)));
        }
    }

    @Test
    void aNonPositiveRequestEndsTheStreamWithAnError() throws Exception {
        try (ArqonBusClient reader = ArqonBusClient.builder(server.wsUri()).build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            SubscriptionPublisher flow = reader.publisher("flow", "bad", SubscriptionOptions.defaults());
            Probe probe = new Probe();
            flow.subscribe(probe);
            probe.subscription.request(0);
            assertThat(probe.errors).singleElement().isInstanceOf(IllegalArgumentException.class);
            await().atMost(TIMEOUT).until(() -> flow.subscription() != null
                    && flow.subscription().state() == Subscription.State.UNSUBSCRIBED);
        }
    }
}
