package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.SecretKind;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the inspection found in one payload. As JSON ({@code flags} in {@code metadata.casil}
 * and in {@code casil_decision} telemetry), only what is true appears:
 * {@code {"contains_probable_secret":true,"kinds":["aws_access_key","keyword_password"],
 * "oversize_payload":true,"redacted":2,"inspection_truncated":true,"inspection_failed":true}}.
 *
 * @param secretKinds   the built-in kinds found, as a bit set over {@link SecretKind}
 * @param customPattern whether an operator expression of {@code redaction_patterns} matched (not a {@code builtin:} name)
 * @param oversize      whether the payload is larger than {@code max_payload_bytes}
 * @param redactable    whether something is to be redacted (a key of {@code redaction_paths} or a pattern match)
 * @param redacted      how many values or matches were replaced in the transported copy
 * @param truncated     whether the payload was longer than {@code max_inspect_bytes}
 * @param failed        whether the inspection failed (exception or time budget)
 * @param payloadBytes  the payload's serialized size (exact up to {@code max_payload_bytes})
 */
public record Classification(int secretKinds, boolean customPattern, boolean oversize, boolean redactable,
        int redacted, boolean truncated, boolean failed, long payloadBytes) {

    /** A failed inspection. */
    static Classification failure() {
        return new Classification(0, false, false, false, 0, false, true, 0);
    }

    /** Whether a probable secret was found: a built-in kind or an operator pattern. */
    public boolean probableSecret() {
        return secretKinds != 0 || customPattern;
    }

    /** Whether anything at all is worth reporting. */
    public boolean any() {
        return probableSecret() || oversize || redactable || failed;
    }

    /** The same with the number of replacements made. */
    Classification withRedacted(int count) {
        return new Classification(secretKinds, customPattern, oversize, redactable, count, truncated, failed,
                payloadBytes);
    }

    /** The names of what was found: built-in kinds, then {@code custom} for an operator pattern. */
    public ArrayNode kinds() {
        ArrayNode kinds = JsonNodeFactory.instance.arrayNode();
        for (SecretKind kind : SecretKind.of(secretKinds)) {
            kinds.add(kind.wireName());
        }
        if (customPattern) {
            kinds.add("custom");
        }
        return kinds;
    }

    /** The flags object. */
    public ObjectNode toJson() {
        ObjectNode flags = JsonNodeFactory.instance.objectNode();
        if (probableSecret()) {
            flags.put("contains_probable_secret", true);
            flags.set("kinds", kinds());
        }
        if (oversize) {
            flags.put("oversize_payload", true);
        }
        if (redacted > 0) {
            flags.put("redacted", redacted);
        } else if (redactable) {
            flags.put("redactable", true);
        }
        if (truncated) {
            flags.put("inspection_truncated", true);
        }
        if (failed) {
            flags.put("inspection_failed", true);
        }
        return flags;
    }
}
