package io.arqonbus.server.internal.inspect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code op.casil.reload} (admin): changes any subset of the policy's keys (those of
 * {@code op.casil.get}) and answers with the new policy. The whole new policy is validated
 * first; any problem → {@code VALIDATION_ERROR} naming every problem, and the policy in force
 * stays. It applies from the next envelope on, on every connection, without reconnecting.
 */
final class CasilReloadCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.casil.reload",
            "Changes the content-inspection (CASIL) policy at run time (admin); args: any keys of op.casil.get")
            .forAdmins();

    private static final Logger log = LoggerFactory.getLogger(CasilReloadCommand.class);

    private final CasilPolicyHolder casil;
    private final TelemetryHub telemetry;

    CasilReloadCommand(CasilPolicyHolder casil, TelemetryHub telemetry) {
        this.casil = casil;
        this.telemetry = telemetry;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        CasilPolicy policy;
        try {
            policy = casil.reload(context.args());
        } catch (CasilPolicyException e) {
            throw CommandException.validation(String.join("; ", e.problems()));
        }
        ObjectNode snapshot = CasilGetCommand.json(policy.snapshot());
        log.atInfo()
                .addKeyValue("event", "casil_policy_reloaded")
                .addKeyValue("by", context.session().clientId())
                .addKeyValue("keys", fieldNames(context.args()))
                .addKeyValue("enabled", policy.enabled())
                .addKeyValue("mode", policy.mode().wireName())
                .log("casil_policy_reloaded");
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("client_id", context.session().clientId());
        event.set("policy", snapshot.deepCopy());
        telemetry.emit("casil_policy_reloaded", event);
        return new CommandResult("CASIL policy reloaded", snapshot);
    }

    private static String fieldNames(ObjectNode args) {
        StringBuilder names = new StringBuilder();
        args.fieldNames().forEachRemaining(name -> names.append(names.isEmpty() ? "" : ",").append(name));
        return names.toString();
    }
}
