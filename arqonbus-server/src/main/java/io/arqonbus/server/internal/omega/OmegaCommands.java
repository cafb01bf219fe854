package io.arqonbus.server.internal.omega;

import io.arqonbus.server.internal.command.CommandRegistry;

/** Registers the omega lab lane's commands ({@code op.omega.*}). */
public final class OmegaCommands {
    private OmegaCommands() {
    }

    /**
     * Adds the commands, working on {@code lab}, to the registry and returns it. They are registered
     * whether or not the lane is enabled: off, they answer {@code FEATURE_DISABLED} (but
     * {@code op.omega.status}, which says so).
     */
    public static CommandRegistry register(CommandRegistry registry, OmegaLab lab) {
        return registry
                .register(new OmegaStatusCommand(lab))
                .register(new OmegaRegisterSubstrateCommand(lab))
                .register(new OmegaListSubstratesCommand(lab))
                .register(new OmegaUnregisterSubstrateCommand(lab))
                .register(new OmegaEmitEventCommand(lab))
                .register(new OmegaListEventsCommand(lab))
                .register(new OmegaClearEventsCommand(lab));
    }
}
