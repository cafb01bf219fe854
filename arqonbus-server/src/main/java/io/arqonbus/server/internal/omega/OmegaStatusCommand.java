package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.OmegaSettings;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code op.omega.status}: the lane's settings and counts; answers even while the lane is off. */
final class OmegaStatusCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.status",
            "The omega lab lane: enabled, lab room/channel, bounds, substrate and event counts");

    private final OmegaLab lab;

    OmegaStatusCommand(OmegaLab lab) {
        this.lab = lab;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        return new CommandResult(lab.enabled() ? "Omega lane enabled" : "Omega lane disabled", json(lab.status()));
    }

    /**
     * The status on the wire: {@code {enabled, lab_room, lab_channel, max_events, max_substrates,
     * substrate_count, event_count, runtime:{backend, started_at, events_emitted_total, events_dropped_total}}}.
     */
    static ObjectNode json(OmegaStatus status) {
        OmegaSettings settings = status.settings();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("enabled", settings.enabled());
        out.put("lab_room", settings.labRoom());
        out.put("lab_channel", settings.labChannel());
        out.put("max_events", settings.maxEvents());
        out.put("max_substrates", settings.maxSubstrates());
        out.put("substrate_count", status.substrateCount());
        out.put("event_count", status.eventCount());
        ObjectNode runtime = out.putObject("runtime");
        runtime.put("backend", OmegaStatus.BACKEND);
        runtime.put("started_at", Timestamps.format(status.startedAt()));
        runtime.put("events_emitted_total", status.emittedTotal());
        runtime.put("events_dropped_total", status.droppedTotal());
        return out;
    }
}
