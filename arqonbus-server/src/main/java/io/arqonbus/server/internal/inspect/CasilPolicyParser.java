package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilMode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a {@link CasilPolicy} from the {@code ARQONBUS_CASIL_*} environment variables, and merges
 * the arguments of an {@code op.casil.reload} into the current policy. Both report every problem
 * at once and never change anything on failure.
 *
 * <p>Lists are comma-separated in the environment; in a reload they are JSON arrays of strings
 * (a comma-separated string is accepted too). {@code redaction_patterns} are split only at commas
 * outside brackets, braces and parentheses and not escaped with a backslash, so {@code [a-z]{8,}}
 * stays one pattern.
 */
public final class CasilPolicyParser {
    /** The prefix of every CASIL variable. */
    public static final String ENV_PREFIX = "ARQONBUS_CASIL_";
    /** The keys {@code op.casil.reload} accepts: those of {@code op.casil.get}. */
    public static final Set<String> RELOAD_KEYS = Set.of("enabled", "mode", "default_decision", "scope_include",
            "scope_exclude", "max_payload_bytes", "max_inspect_bytes", "max_patterns", "block_on_probable_secret",
            "redaction_paths", "redaction_patterns", "transport_redaction", "metadata_to_logs",
            "metadata_to_telemetry", "metadata_to_envelope");

    private CasilPolicyParser() {
    }

    /** Whether any {@code ARQONBUS_CASIL_*} variable is set. */
    /** Every {@code ARQONBUS_CASIL_*} variable this parser reads. */
    public static Set<String> envNames() {
        Set<String> names = new java.util.HashSet<>();
        for (String key : RELOAD_KEYS) {
            names.add(ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT));
        }
        names.add(ENV_PREFIX + "NEVER_LOG_PAYLOAD_FOR");
        return Set.copyOf(names);
    }

    public static boolean anySet(Map<String, String> env) {
        for (String name : env.keySet()) {
            if (name.startsWith(ENV_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The policy of the environment: every {@code ARQONBUS_CASIL_*} variable that is set (and not
     * blank) over {@code base}. Problems name the variable.
     */
    public static CasilPolicy fromEnvironment(Map<String, String> env, CasilPolicy base) throws CasilPolicyException {
        CasilPolicy.Builder b = base.toBuilder();
        List<String> problems = new ArrayList<>();
        EnvReader r = new EnvReader(env, problems);
        r.bool("ENABLED", b::enabled);
        r.text("MODE", v -> mode(v, "ARQONBUS_CASIL_MODE", problems, b));
        r.text("DEFAULT_DECISION", v -> defaultDecision(v, "ARQONBUS_CASIL_DEFAULT_DECISION", problems, b));
        r.text("SCOPE_INCLUDE", v -> b.scopeInclude(split(v)));
        r.text("SCOPE_EXCLUDE", v -> b.scopeExclude(split(v)));
        r.integer("MAX_PAYLOAD_BYTES", b::maxPayloadBytes);
        r.integer("MAX_INSPECT_BYTES", b::maxInspectBytes);
        r.integer("MAX_PATTERNS", b::maxPatterns);
        r.bool("BLOCK_ON_PROBABLE_SECRET", b::blockOnProbableSecret);
        // Set but empty means "none" (the default paths are not empty).
        String paths = env.get(ENV_PREFIX + "REDACTION_PATHS");
        if (paths != null) {
            b.redactionPaths(split(paths));
        }
        String patterns = env.get(ENV_PREFIX + "REDACTION_PATTERNS");
        if (patterns != null) {
            b.redactionPatterns(splitPatterns(patterns));
        }
        r.bool("TRANSPORT_REDACTION", b::transportRedaction);
        r.text("NEVER_LOG_PAYLOAD_FOR", v -> b.neverLogPayloadFor(split(v)));
        r.bool("METADATA_TO_LOGS", b::metadataToLogs);
        r.bool("METADATA_TO_TELEMETRY", b::metadataToTelemetry);
        r.bool("METADATA_TO_ENVELOPE", b::metadataToEnvelope);
        if (!problems.isEmpty()) {
            throw new CasilPolicyException(problems);
        }
        try {
            return b.build();
        } catch (CasilPolicyException e) {
            List<String> named = new ArrayList<>();
            for (String problem : e.problems()) {
                named.add("ARQONBUS_CASIL_*: " + problem);
            }
            throw new CasilPolicyException(named);
        }
    }

    /**
     * The current policy changed by the keys of an {@code op.casil.reload}: any subset of
     * {@link #RELOAD_KEYS}. An unknown key, a value of the wrong type, a bad mode, a pattern that
     * does not compile or more patterns than {@code max_patterns} refuse the whole reload.
     */
    public static CasilPolicy merge(CasilPolicy current, ObjectNode changes) throws CasilPolicyException {
        CasilPolicy.Builder b = current.toBuilder();
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = changes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode v = field.getValue();
            switch (key) {
                case "enabled" -> bool(key, v, problems, b::enabled);
                case "mode" -> string(key, v, problems, s -> mode(s, "'mode'", problems, b));
                case "default_decision" -> string(key, v, problems,
                        s -> defaultDecision(s, "'default_decision'", problems, b));
                case "scope_include" -> list(key, v, problems, false, b::scopeInclude);
                case "scope_exclude" -> list(key, v, problems, false, b::scopeExclude);
                case "max_payload_bytes" -> integer(key, v, problems, b::maxPayloadBytes);
                case "max_inspect_bytes" -> integer(key, v, problems, b::maxInspectBytes);
                case "max_patterns" -> integer(key, v, problems, b::maxPatterns);
                case "block_on_probable_secret" -> bool(key, v, problems, b::blockOnProbableSecret);
                case "redaction_paths" -> list(key, v, problems, false, b::redactionPaths);
                case "redaction_patterns" -> list(key, v, problems, true, b::redactionPatterns);
                case "transport_redaction" -> bool(key, v, problems, b::transportRedaction);
                case "metadata_to_logs" -> bool(key, v, problems, b::metadataToLogs);
                case "metadata_to_telemetry" -> bool(key, v, problems, b::metadataToTelemetry);
                case "metadata_to_envelope" -> bool(key, v, problems, b::metadataToEnvelope);
                default -> problems.add("unknown key '" + key + "' (expected any of: " + String.join(", ",
                        new java.util.TreeSet<>(RELOAD_KEYS)) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new CasilPolicyException(problems);
        }
        return b.build();
    }

    private static void mode(String value, String name, List<String> problems, CasilPolicy.Builder b) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "monitor" -> b.mode(CasilMode.MONITOR);
            case "enforce" -> b.mode(CasilMode.ENFORCE);
            default -> problems.add(name + ": '" + value + "' (expected: monitor or enforce)");
        }
    }

    private static void defaultDecision(String value, String name, List<String> problems, CasilPolicy.Builder b) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "allow" -> b.blockByDefault(false);
            case "block" -> b.blockByDefault(true);
            default -> problems.add(name + ": '" + value + "' (expected: allow or block)");
        }
    }

    private static void bool(String key, JsonNode v, List<String> problems, Consumer<Boolean> setter) {
        if (v.isBoolean()) {
            setter.accept(v.booleanValue());
        } else {
            problems.add("'" + key + "' must be true or false");
        }
    }

    private static void integer(String key, JsonNode v, List<String> problems, java.util.function.IntConsumer setter) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            setter.accept(v.intValue());
        } else {
            problems.add("'" + key + "' must be a whole number");
        }
    }

    private static void string(String key, JsonNode v, List<String> problems, Consumer<String> setter) {
        if (v.isTextual()) {
            setter.accept(v.textValue());
        } else {
            problems.add("'" + key + "' must be a string");
        }
    }

    private static void list(String key, JsonNode v, List<String> problems, boolean patterns,
            Consumer<List<String>> setter) {
        if (v.isTextual()) {
            setter.accept(patterns ? splitPatterns(v.textValue()) : split(v.textValue()));
        } else if (v.isArray()) {
            List<String> values = new ArrayList<>(v.size());
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    problems.add("'" + key + "' must be a list of strings");
                    return;
                }
                values.add(patterns ? item.textValue() : item.textValue().trim());
            }
            setter.accept(values);
        } else {
            problems.add("'" + key + "' must be a list of strings");
        }
    }

    /** A comma-separated list: entries trimmed, empty entries dropped. */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }

    /**
     * A comma-separated list of regular expressions: a comma splits only outside {@code [] {} ()}
     * and when not escaped ({@code \,} is a literal comma in the pattern); entries are trimmed and
     * empty entries dropped.
     */
    static List<String> splitPatterns(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(i + 1);
                if (next == ',' && depth == 0 && !inClass) {
                    current.append(',');
                } else {
                    current.append(c).append(next);
                }
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(' || c == '{') {
                depth++;
            } else if ((c == ')' || c == '}') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                add(out, current);
                continue;
            }
            current.append(c);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String entry = current.toString().trim();
        if (!entry.isEmpty()) {
            out.add(entry);
        }
        current.setLength(0);
    }

    /** Reads {@code ARQONBUS_CASIL_<name>} values, collecting problems. */
    private record EnvReader(Map<String, String> env, List<String> problems) {
        private String value(String name) {
            String v = env.get(ENV_PREFIX + name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        void text(String name, Consumer<String> setter) {
            String v = value(name);
            if (v != null) {
                setter.accept(v);
            }
        }

        void integer(String name, java.util.function.IntConsumer setter) {
            String v = value(name);
            if (v != null) {
                try {
                    setter.accept(Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    problems.add(ENV_PREFIX + name + ": '" + v + "' (expected: a whole number)");
                }
            }
        }

        void bool(String name, Consumer<Boolean> setter) {
            String v = value(name);
            if (v != null) {
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes", "on" -> setter.accept(true);
                    case "false", "0", "no", "off" -> setter.accept(false);
                    default -> problems.add(ENV_PREFIX + name + ": '" + v + "' (expected: true or false)");
                }
            }
        }
    }
}
