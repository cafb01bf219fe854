package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A sender whose message never comes back is forgotten after the sweeps kept, not kept for ever. */
class SendersInFlightTest {
    @Test
    void aSenderWhoseMessageNeverCameBackIsForgottenAfterTheSweepsKept() {
        SendersInFlight<String> senders = new SendersInFlight<>(3);
        senders.put(1, "lost");
        senders.put(2, "answered");
        assertThat(senders.remove(2)).isEqualTo("answered");
        senders.sweep(2);
        senders.put(3, "recent");
        senders.sweep(3);
        senders.sweep(3);
        assertThat(senders.size()).as("kept for three sweeps").isEqualTo(2);
        senders.sweep(3);
        assertThat(senders.remove(1)).as("the lost message's sender is forgotten").isNull();
        assertThat(senders.remove(3)).as("a newer one is kept until its own sweeps have passed").isEqualTo("recent");
        assertThat(senders.size()).isZero();
    }
}
