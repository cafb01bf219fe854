package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.internal.hub.ChannelFrames.command;
import static io.arqonbus.server.internal.hub.ChannelFrames.outcome;
import static io.arqonbus.server.internal.hub.ChannelFrames.publish;
import static io.arqonbus.server.internal.hub.ChannelFrames.replyOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that creates channels faster than {@code ARQONBUS_CHANNEL_CREATE_RATE} (past its
 * burst) gets {@code RATE_LIMITED} for new channels only; existing channels and its neighbours are
 * not affected.
 */
class ChannelCreateRateTest {
    static final int BURST = 5;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.channels(c -> c.withCreateRate(1)
            .withCreateBurst(BURST).withIdleGrace(Duration.ZERO)));

    @Test
    void pastItsBurstAConnectionIsRateLimitedAndItsNeighbourIsNot() throws Exception {
        TestClient flooder = server.connect();
        TestClient neighbour = server.connect();
        for (int i = 0; i < BURST; i++) {
            assertThat(outcome(publish(flooder, "rate", "f" + i))).isEqualTo("ok");
        }
        // Within one second at most one more token came back; two tries leave at least one refused.
        String first = outcome(publish(flooder, "rate", "f-more-1"));
        String second = outcome(publish(flooder, "rate", "f-more-2"));
        assertThat(first.equals("RATE_LIMITED") || second.equals("RATE_LIMITED")).as("%s %s", first, second).isTrue();
        assertThat(replyOutcome(command(flooder, "join_channel", "rate", "f-more-3"))
                + replyOutcome(command(flooder, "join_channel", "rate", "f-more-4"))).contains("RATE_LIMITED");

        // Publishing to and joining existing channels is not creation.
        assertThat(outcome(publish(flooder, "rate", "f0"))).isEqualTo("ok");
        assertThat(replyOutcome(command(flooder, "join_channel", "rate", "f1"))).isEqualTo("success");

        // The neighbour has its own bucket.
        for (int i = 0; i < BURST; i++) {
            assertThat(outcome(publish(neighbour, "rate", "n" + i))).isEqualTo("ok");
        }
        assertThat(server.components().metrics().scrape()).contains("arqonbus_channels_refused_total{code=\"RATE_LIMITED\"}");
    }
}
