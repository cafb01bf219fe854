package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The in-process broker passes the broker contract and delivers on the publishing thread, before
 * {@code publish} returns (no queue, no task hop): the order its caller holds is the order of delivery.
 */
class InProcessBrokerTest extends BrokerContract {

    @Override
    protected Broker create() {
        return new InProcessBroker();
    }

    @Test
    void deliversOnThePublishingThreadBeforePublishReturns() {
        Broker broker = broker();
        broker.subscribe(EXPLORE, recorder);

        publish(broker, EXPLORE, 1);

        assertThat(received).hasSize(1);
        assertThat(received.get(0).thread()).isEqualTo(Thread.currentThread().getName());
    }
}
