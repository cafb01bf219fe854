package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.SecretKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Produces redacted copies of a payload; the original tree is never changed (an envelope's trees
 * are shared). What is replaced by {@value CasilPolicy#REDACTED}:
 * <ul>
 *   <li>the whole value of every key named in {@code redaction_paths} (an entry without a dot),
 *       at any depth, key names compared case-insensitively;</li>
 *   <li>the value at each dotted entry of {@code redaction_paths} ({@code user.credentials.pin}),
 *       from the payload's root, segments compared exactly, arrays on the way entered element by
 *       element;</li>
 *   <li>every match of a {@code redaction_patterns} expression inside string values (each string
 *       separately; keys are not rewritten).</li>
 * </ul>
 * The observability copy (for logs and telemetry) also masks the credential-shaped built-in
 * kinds (everything but the keywords).
 */
final class Redactor {
    private static final TextNode REDACTED = TextNode.valueOf(CasilPolicy.REDACTED);
    private static final String REPLACEMENT = Matcher.quoteReplacement(CasilPolicy.REDACTED);
    private static final List<Pattern> CREDENTIAL_SHAPES;

    static {
        List<Pattern> shapes = new ArrayList<>();
        for (SecretKind kind : SecretKind.values()) {
            if (!kind.isKeyword()) {
                shapes.add(kind.pattern());
            }
        }
        CREDENTIAL_SHAPES = List.copyOf(shapes);
    }

    private final Set<String> keys;
    private final List<String[]> dottedPaths;
    private final List<Pattern> patterns;
    private final long deadlineNanos;
    private int replaced;

    private Redactor(Set<String> keys, List<String[]> dottedPaths, List<Pattern> patterns, long deadlineNanos) {
        this.keys = keys;
        this.dottedPaths = dottedPaths;
        this.patterns = patterns;
        this.deadlineNanos = deadlineNanos;
    }

    /** A redacted copy with the policy's paths and patterns, and how many values or matches were replaced. */
    static Result forTransport(ObjectNode payload, CasilPolicy policy, long deadlineNanos) {
        Redactor r = new Redactor(policy.redactionKeys(), policy.redactionDottedPaths(), policy.compiledPatterns(),
                deadlineNanos);
        return r.run(payload);
    }

    /** A redacted copy for logs and telemetry: paths, patterns and the credential-shaped built-in kinds. */
    static ObjectNode forObservability(ObjectNode payload, CasilPolicy policy, long deadlineNanos) {
        List<Pattern> all = new ArrayList<>(policy.compiledPatterns());
        all.addAll(CREDENTIAL_SHAPES);
        return new Redactor(policy.redactionKeys(), policy.redactionDottedPaths(), all, deadlineNanos)
                .run(payload).payload();
    }

    /** Whether any dotted path of the policy names a value present in the payload. */
    static boolean dottedPathPresent(ObjectNode payload, List<String[]> dottedPaths) {
        for (String[] path : dottedPaths) {
            if (present(payload, path, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean present(JsonNode node, String[] path, int at) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (present(element, path, at)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode child = node.isObject() ? node.get(path[at]) : null;
        if (child == null) {
            return false;
        }
        return at == path.length - 1 || present(child, path, at + 1);
    }

    /** A redacted payload and the number of replacements. */
    record Result(ObjectNode payload, int replaced) {
    }

    private Result run(ObjectNode payload) {
        ObjectNode copy = payload.deepCopy();
        walk(copy);
        for (String[] path : dottedPaths) {
            redactPath(copy, path, 0);
        }
        return new Result(copy, replaced);
    }

    private void walk(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.size());
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (keys.contains(name.toLowerCase(Locale.ROOT))) {
                    if (!REDACTED.equals(value)) {
                        object.set(name, REDACTED);
                        replaced++;
                    }
                } else if (value.isTextual()) {
                    String redacted = redactText(value.textValue());
                    if (redacted != null) {
                        object.set(name, TextNode.valueOf(redacted));
                    }
                } else {
                    walk(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String redacted = redactText(value.textValue());
                    if (redacted != null) {
                        array.set(i, TextNode.valueOf(redacted));
                    }
                } else {
                    walk(value);
                }
            }
        }
    }

    /** The string with every pattern match replaced, or {@code null} when nothing matched. */
    private String redactText(String value) {
        String current = value;
        boolean changed = false;
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(new DeadlineCharSequence(current, deadlineNanos));
            if (m.find()) {
                m.reset();
                StringBuilder out = new StringBuilder(current.length());
                while (m.find()) {
                    m.appendReplacement(out, REPLACEMENT);
                    replaced++;
                }
                m.appendTail(out);
                current = out.toString();
                changed = true;
            }
        }
        return changed ? current : null;
    }

    private void redactPath(JsonNode node, String[] path, int at) {
        if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                redactPath(element, path, at);
            }
        } else if (node instanceof ObjectNode object) {
            JsonNode child = object.get(path[at]);
            if (child == null) {
                return;
            }
            if (at == path.length - 1) {
                if (!REDACTED.equals(child)) {
                    object.set(path[at], REDACTED);
                    replaced++;
                }
            } else {
                redactPath(child, path, at + 1);
            }
        }
    }
}
