package io.arqonbus.server.internal.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;
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

    /**
     * Changes the policy as {@code op.casil.reload} does (validated whole first, logged, announced
     * on telemetry) on behalf of {@code by}; returns the new policy as {@code op.casil.get} shows it.
     *
     * @throws CasilPolicyException naming every problem; the policy in force stays
     */
    public static ObjectNode reload(CasilPolicyHolder casil, TelemetryHub telemetry, String by, ObjectNode changes)
            throws CasilPolicyException {
        return CasilReloadCommand.reload(casil, telemetry, by, changes);
    }

    /** The policy as {@code op.casil.get} shows it (every key {@code op.casil.reload} takes). */
    public static ObjectNode snapshot(CasilPolicy policy) {
        return CasilGetCommand.json(policy.snapshot());
    }

    /**
     * Puts in force the policy another node of a cluster reloaded, given as {@link #snapshot}
     * shows it; logged, not told to {@link CasilPolicyHolder#onReload} listeners.
     *
     * @throws CasilPolicyException when it is not a valid policy; the policy in force stays
     */
    public static CasilPolicy apply(CasilPolicyHolder casil, ObjectNode snapshot, String from)
            throws CasilPolicyException {
        CasilPolicy policy = CasilPolicyParser.merge(casil.current(), snapshot);
        casil.replace(policy);
        org.slf4j.LoggerFactory.getLogger(CasilCommands.class).atInfo()
                .addKeyValue("event", "casil_policy_applied")
                .addKeyValue("from", from)
                .addKeyValue("enabled", policy.enabled())
                .addKeyValue("mode", policy.mode().wireName())
                .log("casil_policy_applied");
        return policy;
    }
}
