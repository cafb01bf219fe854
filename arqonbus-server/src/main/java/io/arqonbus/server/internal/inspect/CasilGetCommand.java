package io.arqonbus.server.internal.inspect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.casil.CasilPolicySnapshot;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code op.casil.get}: the CASIL policy in force (protocol §5), for anyone. */
final class CasilGetCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.casil.get",
            "Shows the content-inspection (CASIL) policy in force");

    private final CasilPolicyHolder casil;

    CasilGetCommand(CasilPolicyHolder casil) {
        this.casil = casil;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        return new CommandResult("CASIL policy", json(casil.current().snapshot()));
    }

    /**
     * The policy on the wire, in the protocol's order: {@code enabled, mode, default_decision,
     * scope_include, scope_exclude, max_payload_bytes, max_inspect_bytes, max_patterns,
     * block_on_probable_secret, redaction_paths, redaction_patterns, transport_redaction,
     * metadata_to_logs, metadata_to_telemetry, metadata_to_envelope}.
     */
    static ObjectNode json(CasilPolicySnapshot policy) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("enabled", policy.enabled());
        out.put("mode", policy.mode().wireName());
        out.put("default_decision", policy.blockByDefault() ? "block" : "allow");
        policy.scopeInclude().forEach(out.putArray("scope_include")::add);
        policy.scopeExclude().forEach(out.putArray("scope_exclude")::add);
        out.put("max_payload_bytes", policy.maxPayloadBytes());
        out.put("max_inspect_bytes", policy.maxInspectBytes());
        out.put("max_patterns", policy.maxPatterns());
        out.put("block_on_probable_secret", policy.blockOnProbableSecret());
        policy.redactionPaths().forEach(out.putArray("redaction_paths")::add);
        policy.redactionPatterns().forEach(out.putArray("redaction_patterns")::add);
        out.put("transport_redaction", policy.transportRedaction());
        out.put("metadata_to_logs", policy.metadataToLogs());
        out.put("metadata_to_telemetry", policy.metadataToTelemetry());
        out.put("metadata_to_envelope", policy.metadataToEnvelope());
        return out;
    }
}
