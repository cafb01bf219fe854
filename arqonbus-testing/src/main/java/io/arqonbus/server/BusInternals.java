package io.arqonbus.server;

import io.arqonbus.server.internal.runtime.BusComponents;

/**
 * The tests' route to a running bus's parts (hub, sessions, history, metrics). It lives in the
 * test-support module (in the facade's package, to reach its package-private accessor), so the
 * public API hands out no mutable internals; nothing here is API.
 */
public final class BusInternals {
    private BusInternals() {
    }

    /** The parts of {@code bus}'s current (or last) run. */
    public static BusComponents of(ArqonBus bus) {
        return bus.components();
    }
}
