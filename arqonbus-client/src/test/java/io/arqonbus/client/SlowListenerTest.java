package io.arqonbus.client;

import static io.arqonbus.client.RestartRecoveryTest.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A listener that does not keep up fills only its own bounded buffer: the overflow policy drops
 * and reports, another subscription of the same client keeps receiving everything, and the
 * connection stays up (the SDK keeps reading, so the server never sees a slow consumer).
 */
class SlowListenerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int SENT = 50;
    private static final int CAPACITY = 4;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    /** Blocks in its first call until released, then records like a {@link Recorder}. */
    private static final class StuckListener extends RecorderDelegate {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch stuck = new CountDownLatch(1);

        @Override
        public void onMessage(Envelope message) {
            stuck.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.onMessage(message);
        }
    }

    private static class RecorderDelegate implements SubscriptionListener {
        final Recorder recorder = new Recorder();

        @Override
        public void onMessage(Envelope message) {
            recorder.onMessage(message);
        }

        @Override
        public void onOverflow(OverflowEvent event) {
            recorder.onOverflow(event);
        }
    }

    private void run(OverflowPolicy policy, String channel, java.util.function.Consumer<StuckListener> check) throws Exception {
        Recorder connection = new Recorder();
        Recorder fast = new Recorder();
        StuckListener slow = new StuckListener();
        try (ArqonBusClient reader = ArqonBusClient.builder(server.wsUri()).onStateChange(connection).build();
             ArqonBusClient publisher = ArqonBusClient.builder(server.wsUri()).build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            Subscription slowSub = reader.subscribe("bounded", channel,
                    SubscriptionOptions.defaults().bufferCapacity(CAPACITY).overflow(policy), slow);
            Subscription fastSub = reader.subscribe("bounded", channel + "-fast", fast);
            await().atMost(TIMEOUT).until(() -> slowSub.state() == Subscription.State.SUBSCRIBED
                    && fastSub.state() == Subscription.State.SUBSCRIBED);
            for (int i = 1; i <= SENT; i++) {
                publisher.publish("bounded", channel, n(i));
                publisher.publish("bounded", channel + "-fast", n(i));
            }
            await().atMost(TIMEOUT).until(() -> fast.messages.size() == SENT);
            assertThat(slow.stuck.await(10, TimeUnit.SECONDS)).isTrue();
            // One publication is in the stuck listener, CAPACITY wait in the buffer, the rest were dropped.
            await().atMost(TIMEOUT).until(() -> slowSub.dropped() == SENT - 1 - CAPACITY);
            assertThat(slowSub.buffered()).isEqualTo(CAPACITY);
            assertThat(reader.state()).isEqualTo(ClientState.CONNECTED);
            assertThat(connection.connects()).isEqualTo(1);

            slow.release.countDown();
            await().atMost(TIMEOUT).until(() -> slow.recorder.messages.size() == 1 + CAPACITY);
            await().atMost(TIMEOUT).until(() -> slow.recorder.overflows.stream().mapToLong(OverflowEvent::dropped).sum()
                    == SENT - 1 - CAPACITY);
            check.accept(slow);
        }
    }

    @Test
    void dropOldestKeepsTheNewest() throws Exception {
        run(OverflowPolicy.DROP_OLDEST, "oldest", slow -> {
            assertThat(slow.recorder.numbers().subList(1, 1 + CAPACITY)).containsExactly(47, 48, 49, 50);
        });
    }

    @Test
    void dropNewestKeepsWhatWasBufferedInOrder() throws Exception {
        run(OverflowPolicy.DROP_NEWEST, "newest", slow -> {
            assertThat(slow.recorder.numbers()).isSorted();
            assertThat(slow.recorder.numbers().get(0)).isEqualTo(1);
            OverflowEvent first = slow.recorder.overflows.get(0);
            assertThat(first.lastDropped().payload().path("n").asInt()).isEqualTo(SENT);
            assertThat(first.firstDropped().position().offset()).isGreaterThan(CAPACITY);
        });
    }
}
