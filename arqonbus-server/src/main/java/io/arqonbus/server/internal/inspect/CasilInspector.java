package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilMode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.SecretKind;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CASIL (protocol §7): classifies the payload's JSON, cut at {@code max_inspect_bytes}, with the
 * built-in {@link SecretKind detectors} and the policy's {@code redaction_patterns}; sizes it
 * against {@code max_payload_bytes}; then decides by mode.
 * <ul>
 *   <li>{@code monitor}: never blocks, never changes the payload; anything found is
 *       {@code allow_with_flags} ({@code CASIL_MONITOR_MODE}), with the code enforce mode would
 *       have blocked with.</li>
 *   <li>{@code enforce}: oversize → block {@code CASIL_POLICY_OVERSIZE}; probable secret with
 *       {@code block_on_probable_secret} → block {@code CASIL_POLICY_BLOCKED_SECRET}; something to
 *       redact with {@code transport_redaction} → {@code redact} (the copy is what is delivered
 *       and stored); otherwise {@code allow_with_flags}.</li>
 * </ul>
 * A failure (an exception, or the time budget passed while an operator expression ran) yields
 * {@code default_decision}: in enforce mode {@code block} answers {@code INTERNAL_ERROR} with
 * reason {@code inspection_failed}; otherwise the envelope goes through flagged.
 * With {@code metadata_to_envelope}, every inspected envelope that goes through carries
 * {@code metadata.casil = {decision, reason_code, mode, kind, risk_level, flags}}.
 */
public final class CasilInspector implements Inspector {
    /** At most this many addresses have their scope answer cached per policy. */
    static final int SCOPE_CACHE_LIMIT = 10_000;
    /** The default time budget of one inspection. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(50);

    private final CasilPolicyHolder policies;
    private final long budgetNanos;
    private volatile ScopeCache scopes = new ScopeCache(null);

    public CasilInspector(CasilPolicyHolder policies) {
        this(policies, DEFAULT_BUDGET);
    }

    /** @param budget how long one inspection may take before it counts as failed */
    public CasilInspector(CasilPolicyHolder policies, Duration budget) {
        this.policies = policies;
        this.budgetNanos = budget.toNanos();
    }

    @Override
    public Inspection inspect(Envelope envelope, ChannelKey address) {
        CasilPolicy policy = policies.current();
        if (!policy.enabled() || !inScope(policy, address)) {
            return Inspection.PASS;
        }
        long deadline = System.nanoTime() + budgetNanos;
        try {
            Classification found = classify(envelope.payload(), policy, deadline);
            return decide(envelope, policy, found, deadline);
        } catch (DeadlineCharSequence.InspectionTimeoutException e) {
            return failed(envelope, policy, "the inspection took longer than " + budgetNanos / 1_000_000 + " ms");
        } catch (RuntimeException | StackOverflowError e) {
            return failed(envelope, policy, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether the policy inspects this address, decided once per address while the policy is current. */
    private boolean inScope(CasilPolicy policy, ChannelKey address) {
        if (address == null) {
            return policy.inScope(null);
        }
        ScopeCache cache = scopes;
        if (cache.policy != policy) {
            cache = new ScopeCache(policy);
            scopes = cache;
        }
        Boolean cached = cache.answers.get(address);
        if (cached != null) {
            return cached;
        }
        boolean in = policy.inScope(address.toString());
        if (cache.answers.size() < SCOPE_CACHE_LIMIT) {
            cache.answers.putIfAbsent(address, in);
        }
        return in;
    }

    /** The scope answers of one policy, keyed by address; replaced when the policy changes. */
    private record ScopeCache(CasilPolicy policy, ConcurrentHashMap<ChannelKey, Boolean> answers) {
        ScopeCache(CasilPolicy policy) {
            this(policy, new ConcurrentHashMap<>());
        }
    }

    /** Classifies a payload under a policy (no decision). */
    static Classification classify(ObjectNode payload, CasilPolicy policy, long deadline) {
        InspectionText walk = InspectionText.of(payload, policy.maxInspectBytes(), policy.maxPayloadBytes(),
                policy.redactionKeys());
        String text = walk.text();
        int kinds = SecretKind.detect(text, text.toLowerCase(Locale.ROOT));
        boolean custom = false;
        List<Pattern> patterns = policy.operatorPatterns();
        if (!patterns.isEmpty()) {
            CharSequence guarded = new DeadlineCharSequence(text, deadline);
            for (int i = 0; i < patterns.size() && !custom; i++) {
                custom = patterns.get(i).matcher(guarded).find();
            }
        }
        boolean redactable = walk.keyHit() || custom || (kinds & policy.builtinRedactionKinds()) != 0
                || !policy.redactionDottedPaths().isEmpty()
                        && Redactor.dottedPathPresent(payload, policy.redactionDottedPaths());
        boolean oversize = policy.maxPayloadBytes() > 0 && walk.size() > policy.maxPayloadBytes();
        return new Classification(kinds, custom, oversize, redactable, 0, walk.truncated(), false, walk.size());
    }

    private Inspection decide(Envelope envelope, CasilPolicy policy, Classification found, long deadline) {
        if (!found.any()) {
            return pass(envelope, policy, InspectionDecision.ALLOW, "CASIL_POLICY_ALLOWED", found, null, null);
        }
        if (policy.mode() == CasilMode.MONITOR) {
            return pass(envelope, policy, InspectionDecision.ALLOW_WITH_FLAGS, "CASIL_MONITOR_MODE", found,
                    wouldBlock(policy, found), null);
        }
        if (found.oversize()) {
            return block(policy, ErrorCode.CASIL_POLICY_OVERSIZE, "oversize_payload", "CASIL_POLICY_OVERSIZE", found,
                    null);
        }
        if (found.probableSecret() && policy.blockOnProbableSecret()) {
            return block(policy, ErrorCode.CASIL_POLICY_BLOCKED_SECRET, "contains_probable_secret",
                    "CASIL_POLICY_BLOCKED_SECRET", found, null);
        }
        if (found.redactable() && policy.transportRedaction()) {
            Redactor.Result redacted = Redactor.forTransport(envelope.payload(), policy, deadline);
            if (redacted.replaced() > 0) {
                Envelope copy = envelope.toBuilder().payload(redacted.payload()).build();
                return pass(copy, policy, InspectionDecision.REDACT, "CASIL_POLICY_REDACTED",
                        found.withRedacted(redacted.replaced()), null, null);
            }
        }
        return pass(envelope, policy, InspectionDecision.ALLOW_WITH_FLAGS, "CASIL_POLICY_ALLOWED", found, null, null);
    }

    private static ErrorCode wouldBlock(CasilPolicy policy, Classification found) {
        if (found.oversize()) {
            return ErrorCode.CASIL_POLICY_OVERSIZE;
        }
        if (found.probableSecret() && policy.blockOnProbableSecret()) {
            return ErrorCode.CASIL_POLICY_BLOCKED_SECRET;
        }
        return null;
    }

    private Inspection failed(Envelope envelope, CasilPolicy policy, String why) {
        Classification failure = Classification.failure();
        if (policy.blockByDefault() && policy.mode() == CasilMode.ENFORCE) {
            return block(policy, ErrorCode.INTERNAL_ERROR, "inspection_failed", "CASIL_INTERNAL_ERROR", failure, why);
        }
        return pass(envelope, policy, InspectionDecision.ALLOW_WITH_FLAGS, "CASIL_INTERNAL_ERROR", failure,
                null, why);
    }

    private static Inspection block(CasilPolicy policy, ErrorCode code, String reason, String reasonCode,
            Classification found, String failure) {
        return new Inspection(InspectionDecision.BLOCK, null, code, reason, reasonCode, found, null, policy, failure);
    }

    /** Lets the envelope through, with {@code metadata.casil} when the policy asks for it. */
    private static Inspection pass(Envelope envelope, CasilPolicy policy, InspectionDecision decision,
            String reasonCode, Classification found, ErrorCode wouldBlock, String failure) {
        Envelope routed = null;
        if (policy.metadataToEnvelope()) {
            ObjectNode metadata = envelope.metadata().deepCopy();
            metadata.set("casil", casilMetadata(envelope, policy, decision, reasonCode, found));
            routed = envelope.withMetadata(metadata);
        } else if (decision == InspectionDecision.REDACT) {
            routed = envelope;
        }
        return new Inspection(decision, routed, null, null, reasonCode, found, wouldBlock, policy, failure);
    }

    /** {@code metadata.casil}: {@code {decision, reason_code, mode, kind, risk_level, flags}}. */
    static ObjectNode casilMetadata(Envelope envelope, CasilPolicy policy, InspectionDecision decision,
            String reasonCode, Classification found) {
        ObjectNode casil = JsonNodeFactory.instance.objectNode();
        casil.put("decision", decision.wireName());
        casil.put("reason_code", reasonCode);
        casil.put("mode", policy.mode().wireName());
        casil.put("kind", envelope.type() == MessageType.COMMAND ? "control" : "data");
        casil.put("risk_level", found.probableSecret() ? "high"
                : found.oversize() || found.redactable() || found.failed() ? "medium" : "low");
        casil.set("flags", found.toJson());
        return casil;
    }
}
