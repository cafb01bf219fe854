package io.arqonbus.server.casil;

import java.util.List;

/**
 * The settings of a {@link CasilPolicy} as {@code op.casil.get} shows them (protocol §5), in the
 * protocol's order; {@code never_log_payload_for} is not shown.
 *
 * @param enabled               whether envelopes are inspected at all
 * @param mode                  {@code monitor} (observe, redact) or {@code enforce} (also block)
 * @param blockByDefault        {@code default_decision}: {@code true} for {@code block}, {@code false} for {@code allow}
 * @param scopeInclude          {@code scope_include}: the addresses inspected (empty: all)
 * @param scopeExclude          {@code scope_exclude}: the addresses never inspected
 * @param maxPayloadBytes       {@code max_payload_bytes}: payloads larger than this are oversize; 0 means no limit
 * @param maxInspectBytes       {@code max_inspect_bytes}: how much of the payload's JSON is classified
 * @param maxPatterns           {@code max_patterns}: the most {@code redaction_patterns} a policy may hold
 * @param blockOnProbableSecret {@code block_on_probable_secret}: whether enforce mode blocks probable secrets
 * @param redactionPaths        {@code redaction_paths}: key names and dotted paths whose values are redacted
 * @param redactionPatterns     {@code redaction_patterns}: expressions and {@code builtin:} detectors redacted
 * @param transportRedaction    {@code transport_redaction}: whether deliveries carry the redacted payload
 * @param metadataToLogs        {@code metadata_to_logs}: whether inspection results go to the log
 * @param metadataToTelemetry   {@code metadata_to_telemetry}: whether inspection results go to telemetry
 * @param metadataToEnvelope    {@code metadata_to_envelope}: whether inspection results ride on the envelope
 */
public record CasilPolicySnapshot(boolean enabled, CasilMode mode, boolean blockByDefault, List<String> scopeInclude,
        List<String> scopeExclude, int maxPayloadBytes, int maxInspectBytes, int maxPatterns,
        boolean blockOnProbableSecret, List<String> redactionPaths, List<String> redactionPatterns,
        boolean transportRedaction, boolean metadataToLogs, boolean metadataToTelemetry, boolean metadataToEnvelope) {
    public CasilPolicySnapshot {
        scopeInclude = List.copyOf(scopeInclude);
        scopeExclude = List.copyOf(scopeExclude);
        redactionPaths = List.copyOf(redactionPaths);
        redactionPatterns = List.copyOf(redactionPatterns);
    }
}
