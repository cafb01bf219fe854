package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a client and one subscription tell their listeners, for assertions. */
final class Recorder implements SubscriptionListener, ConnectionListener {
    final List<Envelope> messages = new CopyOnWriteArrayList<>();
    final List<SubscribedEvent> subscribed = new CopyOnWriteArrayList<>();
    final List<RecoveryFailure> recoveryFailures = new CopyOnWriteArrayList<>();
    final List<OverflowEvent> overflows = new CopyOnWriteArrayList<>();
    final List<ArqonBusException> errors = new CopyOnWriteArrayList<>();
    final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Envelope message) {
        messages.add(message);
    }

    @Override
    public void onSubscribed(SubscribedEvent event) {
        subscribed.add(event);
    }

    @Override
    public void onRecoveryFailed(RecoveryFailure failure) {
        recoveryFailures.add(failure);
    }

    @Override
    public void onOverflow(OverflowEvent event) {
        overflows.add(event);
    }

    @Override
    public void onError(ArqonBusException error) {
        errors.add(error);
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        events.add(event);
    }

    /** The {@code n} field of every message's payload, in order. */
    List<Integer> numbers() {
        return messages.stream().map(m -> m.payload().path("n").asInt()).toList();
    }

    /** The states seen, in order. */
    List<ClientState> states() {
        return events.stream().map(ConnectionEvent::state).toList();
    }

    long connects() {
        return events.stream().filter(e -> e.state() == ClientState.CONNECTED).count();
    }
}
