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
        try {
            return new CommandResult("CASIL policy reloaded",
                    reload(casil, telemetry, context.session().clientId(), context.args()));
        } catch (CasilPolicyException e) {
            throw CommandException.validation(String.join("; ", e.problems()));
        }
    }

    /**
     * Reloads the policy with {@code changes} on behalf of {@code by}, logs it and emits the
     * {@code casil_policy_reloaded} telemetry event; the same path for {@code op.casil.reload} and
     * the HTTP API.
     *
     * @return the new policy as {@code op.casil.get} shows it
     */
    static ObjectNode reload(CasilPolicyHolder casil, TelemetryHub telemetry, String by, ObjectNode changes)
            throws CasilPolicyException {
        CasilPolicy policy = casil.reload(changes);
        ObjectNode snapshot = CasilGetCommand.json(policy.snapshot());
        log.info("event=casil_policy_reloaded by={} keys={} enabled={} mode={}", by,
                fieldNames(changes), policy.enabled(), policy.mode().wireName());
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("client_id", by);
        event.set("policy", snapshot.deepCopy());
        telemetry.emit("casil_policy_reloaded", event);
        return snapshot;
    }

    private static String fieldNames(ObjectNode args) {
        StringBuilder names = new StringBuilder();
        args.fieldNames().forEachRemaining(name -> names.append(names.isEmpty() ? "" : ",").append(name));
        return names.toString();
    }
}
