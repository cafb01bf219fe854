package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilPolicy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where routing meets inspection: picks the envelopes CASIL looks at (every type a client may
 * send except {@code telemetry}: {@code message}, {@code event}, {@code private}, and
 * {@code response}/{@code error}, which route like messages, and {@code command}), runs the {@link Inspector}, and reports each
 * decision: a counter by decision, a {@code casil_decision} telemetry event and a log line for
 * every decision other than a plain {@code allow} (as the policy's {@code metadata_to_*} say).
 *
 * <p>With CASIL disabled the cost per envelope is one volatile read. Commands that carry
 * credentials or the policy itself ({@code refresh}, {@code op.casil.get}, {@code op.casil.reload})
 * are never inspected.
 */
public final class InspectionGate {
    private static final Logger log = LoggerFactory.getLogger(InspectionGate.class);
    /** Commands CASIL never looks at. */
    public static final Set<String> EXEMPT_COMMANDS = Set.of("refresh", "op.casil.get", "op.casil.reload");
    /** The telemetry event type of a decision. */
    public static final String TELEMETRY_EVENT = "casil_decision";
    private static final long BUDGET_NANOS = CasilInspector.DEFAULT_BUDGET.toNanos();

    private final CasilPolicyHolder policies;
    private final Inspector inspector;
    private final TelemetryHub telemetry;
    private final Map<InspectionDecision, Counter> decisions = new EnumMap<>(InspectionDecision.class);
    private final Counter failures;

    public InspectionGate(CasilPolicyHolder policies, Inspector inspector, TelemetryHub telemetry,
            MeterRegistry registry) {
        this.policies = policies;
        this.inspector = inspector;
        this.telemetry = telemetry;
        for (InspectionDecision decision : InspectionDecision.values()) {
            decisions.put(decision, Counter.builder("arqonbus.casil.decisions")
                    .description("Envelopes inspected by CASIL, by decision")
                    .tag("decision", decision.wireName())
                    .register(registry));
        }
        failures = Counter.builder("arqonbus.casil.failures")
                .description("CASIL inspections that failed (exception or time budget) and took the default decision")
                .register(registry);
    }

    /** The policy holder (for the {@code op.casil.*} commands). */
    public CasilPolicyHolder policies() {
        return policies;
    }

    /**
     * Inspects an envelope a client sent, before it is routed.
     *
     * @param clientId the sender, for telemetry and logs
     * @return {@link Inspection#PASS} when CASIL is off or does not look at this envelope
     */
    public Inspection check(String clientId, Envelope envelope) {
        if (!policies.current().enabled()) {
            return Inspection.PASS;
        }
        MessageType type = envelope.type();
        // Everything a client can publish: message/event/private, and response/error, which route like messages.
        boolean inspected = type == MessageType.COMMAND ? !EXEMPT_COMMANDS.contains(envelope.command())
                : type != MessageType.TELEMETRY;
        if (!inspected) {
            return Inspection.PASS;
        }
        ChannelKey address = envelope.room() == null ? null : new ChannelKey(envelope.room(), envelope.channel());
        Inspection inspection = inspector.inspect(envelope, address);
        if (inspection.inspected()) {
            decisions.get(inspection.decision()).increment();
            if (inspection.failure() != null) {
                failures.increment();
            }
            if (inspection.decision() != InspectionDecision.ALLOW) {
                report(clientId, envelope, address, inspection);
            }
        }
        return inspection;
    }

    private void report(String clientId, Envelope envelope, ChannelKey address, Inspection inspection) {
        CasilPolicy policy = inspection.policy();
        if (policy.metadataToLogs()) {
            logDecision(clientId, envelope, inspection);
        }
        if (policy.metadataToTelemetry() && telemetry.clientCount() > 0) {
            telemetry.emit(TELEMETRY_EVENT, event(clientId, envelope, address, inspection));
        }
    }

    private static void logDecision(String clientId, Envelope envelope, Inspection inspection) {
        Classification found = inspection.classification();
        if (inspection.failure() != null) {
            log.atWarn()
                    .addKeyValue("event", "casil_decision")
                    .addKeyValue("decision", inspection.decision().wireName())
                    .addKeyValue("reason_code", "CASIL_INTERNAL_ERROR")
                    .addKeyValue("id", envelope.id())
                    .addKeyValue("client", clientId)
                    .addKeyValue("room", envelope.room())
                    .addKeyValue("channel", envelope.channel())
                    .addKeyValue("msg", inspection.failure())
                    .log("casil_decision");
        } else if (inspection.blocked()) {
            log.atInfo()
                    .addKeyValue("event", "casil_decision")
                    .addKeyValue("decision", "block")
                    .addKeyValue("code", inspection.blockCode())
                    .addKeyValue("id", envelope.id())
                    .addKeyValue("client", clientId)
                    .addKeyValue("room", envelope.room())
                    .addKeyValue("channel", envelope.channel())
                    .addKeyValue("kinds", found.kinds())
                    .addKeyValue("payload_bytes", found.payloadBytes())
                    .log("casil_decision");
        } else if (log.isDebugEnabled()) {
            log.atDebug()
                    .addKeyValue("event", "casil_decision")
                    .addKeyValue("decision", inspection.decision().wireName())
                    .addKeyValue("reason_code", inspection.reasonCode())
                    .addKeyValue("id", envelope.id())
                    .addKeyValue("client", clientId)
                    .addKeyValue("room", envelope.room())
                    .addKeyValue("channel", envelope.channel())
                    .addKeyValue("flags", found.toJson())
                    .log("casil_decision");
        }
    }

    /**
     * The {@code casil_decision} event data: {@code {decision, reason_code, mode, severity,
     * message_id, client_id, type, command?, room, channel, flags, would_block?, internal_error?,
     * payload}}. {@code payload} is the observability copy (redaction paths, patterns and
     * credential shapes replaced), {@code "***REDACTED***"} for a scope in
     * {@code never_log_payload_for}, and left out (with {@code payload_omitted: "too_large"})
     * when the payload is larger than {@code max_inspect_bytes}.
     */
    private static ObjectNode event(String clientId, Envelope envelope, ChannelKey address, Inspection inspection) {
        CasilPolicy policy = inspection.policy();
        Classification found = inspection.classification();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("decision", inspection.decision().wireName());
        data.put("reason_code", inspection.reasonCode());
        data.put("mode", policy.mode().wireName());
        data.put("severity", inspection.blocked() ? "warning" : "info");
        data.put("message_id", envelope.id());
        data.put("client_id", clientId);
        data.put("type", envelope.type().wireName());
        if (envelope.command() != null) {
            data.put("command", envelope.command());
        }
        data.put("room", envelope.room());
        data.put("channel", envelope.channel());
        data.set("flags", found.toJson());
        if (inspection.wouldBlock() != null) {
            data.put("would_block", inspection.wouldBlock().name());
        }
        if (inspection.failure() != null) {
            data.put("internal_error", inspection.failure());
        }
        if (policy.neverLogPayload(address == null ? null : address.toString())) {
            data.put("payload", CasilPolicy.REDACTED);
        } else if (found.failed() || found.truncated()) {
            data.put("payload_omitted", found.failed() ? "inspection_failed" : "too_large");
        } else {
            try {
                data.set("payload", Redactor.forObservability(envelope.payload(), policy,
                        System.nanoTime() + BUDGET_NANOS));
            } catch (RuntimeException e) {
                data.put("payload_omitted", "inspection_failed");
            }
        }
        return data;
    }
}
