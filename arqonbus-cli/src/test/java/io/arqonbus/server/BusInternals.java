package io.arqonbus.server;

import io.arqonbus.server.internal.runtime.BusComponents;

/**
 * The cli tests' route to a running bus's parts (the server tests have the same helper). It lives in the
 * test tree, beside the facade's package-private accessor, so the public API hands out no
 * mutable internals; nothing here is API.
 */
public final class BusInternals {
    private BusInternals() {
    }

    /** The parts of {@code bus}'s current (or last) run. */
    public static BusComponents of(ArqonBus bus) {
        return bus.components();
    }
}
