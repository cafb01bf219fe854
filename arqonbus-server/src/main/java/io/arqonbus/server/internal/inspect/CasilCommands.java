package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryHub;

/** Registers the content-inspection commands: {@code op.casil.get} and {@code op.casil.reload}. */
public final class CasilCommands {
    private CasilCommands() {
    }

    /** Adds the commands, reading and changing the policy in {@code casil}, to the registry and returns it. */
    public static CommandRegistry register(CommandRegistry registry, CasilPolicyHolder casil, TelemetryHub telemetry) {
        return registry
                .register(new CasilGetCommand(casil))
                .register(new CasilReloadCommand(casil, telemetry));
    }
}
