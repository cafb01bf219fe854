package io.arqonbus.server.casil;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One CASIL policy (protocol §7), immutable and validated, with everything the hot path needs
 * prepared once: compiled expressions, the lower-cased redaction key names, and a per-policy
 * cache of scope decisions by {@code room:channel}. A reload builds a new policy and swaps it in
 * ({@link CasilPolicyHolder}); nothing of an old policy is changed. Every default is a
 * {@code DEFAULT_*} constant.
 */
public final class CasilPolicy {
    /** Default {@code max_inspect_bytes}: {@value}. */
    public static final int DEFAULT_MAX_INSPECT_BYTES = 65_536;
    /** Default {@code max_patterns}: {@value}. */
    public static final int DEFAULT_MAX_PATTERNS = 32;
    /** Default {@code max_payload_bytes}: {@value}. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 262_144;
    /** Default {@code redaction_paths}. */
    public static final List<String> DEFAULT_REDACTION_PATHS = List.of("password", "token", "secret");
    /** The largest {@code max_inspect_bytes} (and {@code max_payload_bytes}): 16 MiB. */
    public static final int LIMIT_BYTES = 16 * 1024 * 1024;
    /** The largest {@code max_patterns}: {@value}. */
    public static final int LIMIT_PATTERNS = 1024;
    /** What replaces a redacted value or match. */
    public static final String REDACTED = "***REDACTED***";
    /** The prefix naming a built-in detector in {@code redaction_patterns}. */
    public static final String BUILTIN_PREFIX = "builtin:";
    /** Scope decisions cached per policy; past this many distinct channels, decisions are not cached. */

    private final boolean enabled;
    private final CasilMode mode;
    private final boolean blockByDefault;
    private final List<String> scopeInclude;
    private final List<String> scopeExclude;
    private final int maxPayloadBytes;
    private final int maxInspectBytes;
    private final int maxPatterns;
    private final boolean blockOnProbableSecret;
    private final List<String> redactionPaths;
    private final List<String> redactionPatterns;
    private final boolean transportRedaction;
    private final List<String> neverLogPayloadFor;
    private final boolean metadataToLogs;
    private final boolean metadataToTelemetry;
    private final boolean metadataToEnvelope;

    // Prepared once.
    private final ScopePattern include;
    private final ScopePattern exclude;
    private final ScopePattern neverLog;
    private final boolean roomlessInScope;
    private final Set<String> redactionKeys;
    private final List<String[]> redactionDottedPaths;
    private final List<Pattern> compiledPatterns;
    private final List<Pattern> operatorPatterns;
    private final int builtinRedactionKinds;

    private CasilPolicy(Builder b, List<Pattern> compiled) {
        enabled = b.enabled;
        mode = b.mode;
        blockByDefault = b.blockByDefault;
        scopeInclude = List.copyOf(b.scopeInclude);
        scopeExclude = List.copyOf(b.scopeExclude);
        maxPayloadBytes = b.maxPayloadBytes;
        maxInspectBytes = b.maxInspectBytes;
        maxPatterns = b.maxPatterns;
        blockOnProbableSecret = b.blockOnProbableSecret;
        redactionPaths = List.copyOf(b.redactionPaths);
        redactionPatterns = List.copyOf(b.redactionPatterns);
        transportRedaction = b.transportRedaction;
        neverLogPayloadFor = List.copyOf(b.neverLogPayloadFor);
        metadataToLogs = b.metadataToLogs;
        metadataToTelemetry = b.metadataToTelemetry;
        metadataToEnvelope = b.metadataToEnvelope;

        include = new ScopePattern(scopeInclude);
        exclude = new ScopePattern(scopeExclude);
        neverLog = new ScopePattern(neverLogPayloadFor);
        roomlessInScope = include.isEmpty() && !exclude.matchesAny("");
        Set<String> keys = new HashSet<>();
        List<String[]> dotted = new ArrayList<>();
        for (String path : redactionPaths) {
            if (path.indexOf('.') >= 0) {
                dotted.add(path.split("\\.", -1));
            } else {
                keys.add(path.toLowerCase(Locale.ROOT));
            }
        }
        redactionKeys = Set.copyOf(keys);
        redactionDottedPaths = List.copyOf(dotted);
        compiledPatterns = List.copyOf(compiled);
        List<Pattern> operator = new ArrayList<>();
        int builtins = 0;
        for (int i = 0; i < redactionPatterns.size(); i++) {
            SecretKind kind = redactionPatterns.get(i).startsWith(BUILTIN_PREFIX)
                    ? SecretKind.byWireName(redactionPatterns.get(i).substring(BUILTIN_PREFIX.length())) : null;
            if (kind == null) {
                operator.add(compiled.get(i));
            } else {
                builtins |= 1 << kind.ordinal();
            }
        }
        operatorPatterns = List.copyOf(operator);
        builtinRedactionKinds = builtins;
    }

    /** The defaults of protocol §7 (disabled). */
    public static CasilPolicy defaults() {
        try {
            return builder().build();
        } catch (CasilPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this policy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean enabled() { return enabled; }
    public CasilMode mode() { return mode; }
    /** Whether an inspection failure blocks ({@code default_decision: block}) rather than allows. */
    public boolean blockByDefault() { return blockByDefault; }
    public List<String> scopeInclude() { return scopeInclude; }
    public List<String> scopeExclude() { return scopeExclude; }
    /** Payloads larger than this (serialized JSON, bytes) are oversize; 0 means no limit. */
    public int maxPayloadBytes() { return maxPayloadBytes; }
    /** How much of the payload's JSON is classified, in characters. */
    public int maxInspectBytes() { return maxInspectBytes; }
    /** The most {@code redaction_patterns} a policy may hold. */
    public int maxPatterns() { return maxPatterns; }
    public boolean blockOnProbableSecret() { return blockOnProbableSecret; }
    public List<String> redactionPaths() { return redactionPaths; }
    public List<String> redactionPatterns() { return redactionPatterns; }
    public boolean transportRedaction() { return transportRedaction; }
    public List<String> neverLogPayloadFor() { return neverLogPayloadFor; }
    public boolean metadataToLogs() { return metadataToLogs; }
    public boolean metadataToTelemetry() { return metadataToTelemetry; }
    public boolean metadataToEnvelope() { return metadataToEnvelope; }

    /** Lower-cased key names redacted wherever they occur. */
    public Set<String> redactionKeys() { return redactionKeys; }
    /** Dotted paths from the payload's root, split at the dots. */
    public List<String[]> redactionDottedPaths() { return redactionDottedPaths; }
    /** {@code redaction_patterns}, compiled ({@code builtin:} names resolved), for redacting. */
    public List<Pattern> compiledPatterns() { return compiledPatterns; }
    /**
     * The operator's own expressions among {@code redaction_patterns} (not {@code builtin:}
     * names), run over the inspected text under the time budget.
     */
    public List<Pattern> operatorPatterns() { return operatorPatterns; }
    /**
     * The built-in kinds named in {@code redaction_patterns}, as a bit set: found by the
     * detectors' pass (with its cheap hints), never by a second regex run.
     */
    public int builtinRedactionKinds() { return builtinRedactionKinds; }

    /**
     * Whether envelopes to this address are inspected; {@code null} is an envelope without a room
     * (a private message, most commands), in scope only when {@code scope_include} is empty.
     * The inspector caches the answer per address for as long as this policy is current.
     */
    public boolean inScope(String address) {
        if (address == null) {
            return roomlessInScope;
        }
        return !exclude.matchesAny(address) && (include.isEmpty() || include.matchesAny(address));
    }

    /** Whether payloads to this address never appear in logs or telemetry. */
    public boolean neverLogPayload(String address) {
        return !neverLog.isEmpty() && neverLog.matchesAny(address == null ? "" : address);
    }

    /** The policy's settings as {@code op.casil.get} shows them (protocol §5). */
    public CasilPolicySnapshot snapshot() {
        return new CasilPolicySnapshot(enabled, mode, blockByDefault, scopeInclude, scopeExclude, maxPayloadBytes,
                maxInspectBytes, maxPatterns, blockOnProbableSecret, redactionPaths, redactionPatterns,
                transportRedaction, metadataToLogs, metadataToTelemetry, metadataToEnvelope);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    /** A mutable builder; {@link #build()} validates the whole policy and compiles its expressions. */
    public static final class Builder {
        private boolean enabled;
        private CasilMode mode = CasilMode.MONITOR;
        private boolean blockByDefault;
        private List<String> scopeInclude = List.of();
        private List<String> scopeExclude = List.of();
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxInspectBytes = DEFAULT_MAX_INSPECT_BYTES;
        private int maxPatterns = DEFAULT_MAX_PATTERNS;
        private boolean blockOnProbableSecret;
        private List<String> redactionPaths = DEFAULT_REDACTION_PATHS;
        private List<String> redactionPatterns = List.of();
        private boolean transportRedaction;
        private List<String> neverLogPayloadFor = List.of();
        private boolean metadataToLogs = true;
        private boolean metadataToTelemetry = true;
        private boolean metadataToEnvelope;

        private Builder() {
        }

        private Builder(CasilPolicy p) {
            enabled = p.enabled;
            mode = p.mode;
            blockByDefault = p.blockByDefault;
            scopeInclude = p.scopeInclude;
            scopeExclude = p.scopeExclude;
            maxPayloadBytes = p.maxPayloadBytes;
            maxInspectBytes = p.maxInspectBytes;
            maxPatterns = p.maxPatterns;
            blockOnProbableSecret = p.blockOnProbableSecret;
            redactionPaths = p.redactionPaths;
            redactionPatterns = p.redactionPatterns;
            transportRedaction = p.transportRedaction;
            neverLogPayloadFor = p.neverLogPayloadFor;
            metadataToLogs = p.metadataToLogs;
            metadataToTelemetry = p.metadataToTelemetry;
            metadataToEnvelope = p.metadataToEnvelope;
        }

        public Builder enabled(boolean value) { enabled = value; return this; }
        public Builder mode(CasilMode value) { mode = Objects.requireNonNull(value); return this; }
        /** {@code default_decision}: {@code true} for {@code block}, {@code false} for {@code allow}. */
        public Builder blockByDefault(boolean value) { blockByDefault = value; return this; }
        public Builder scopeInclude(List<String> value) { scopeInclude = List.copyOf(value); return this; }
        public Builder scopeExclude(List<String> value) { scopeExclude = List.copyOf(value); return this; }
        public Builder maxPayloadBytes(int value) { maxPayloadBytes = value; return this; }
        public Builder maxInspectBytes(int value) { maxInspectBytes = value; return this; }
        public Builder maxPatterns(int value) { maxPatterns = value; return this; }
        public Builder blockOnProbableSecret(boolean value) { blockOnProbableSecret = value; return this; }
        public Builder redactionPaths(List<String> value) { redactionPaths = List.copyOf(value); return this; }
        public Builder redactionPatterns(List<String> value) { redactionPatterns = List.copyOf(value); return this; }
        public Builder transportRedaction(boolean value) { transportRedaction = value; return this; }
        public Builder neverLogPayloadFor(List<String> value) { neverLogPayloadFor = List.copyOf(value); return this; }
        public Builder metadataToLogs(boolean value) { metadataToLogs = value; return this; }
        public Builder metadataToTelemetry(boolean value) { metadataToTelemetry = value; return this; }
        public Builder metadataToEnvelope(boolean value) { metadataToEnvelope = value; return this; }

        /** Validates every setting, compiles the expressions, and builds the policy. */
        public CasilPolicy build() throws CasilPolicyException {
            List<String> problems = new ArrayList<>();
            if (maxInspectBytes < 1 || maxInspectBytes > LIMIT_BYTES) {
                problems.add("'max_inspect_bytes' must be between 1 and " + LIMIT_BYTES);
            }
            if (maxPayloadBytes < 0 || maxPayloadBytes > LIMIT_BYTES) {
                problems.add("'max_payload_bytes' must be between 0 (no limit) and " + LIMIT_BYTES);
            }
            if (maxPatterns < 0 || maxPatterns > LIMIT_PATTERNS) {
                problems.add("'max_patterns' must be between 0 and " + LIMIT_PATTERNS);
            }
            names(problems, "scope_include", scopeInclude);
            names(problems, "scope_exclude", scopeExclude);
            names(problems, "never_log_payload_for", neverLogPayloadFor);
            names(problems, "redaction_paths", redactionPaths);
            for (String path : redactionPaths) {
                if (path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                    problems.add("'redaction_paths' entry '" + path + "' has an empty segment");
                }
            }
            if (redactionPatterns.size() > maxPatterns) {
                problems.add("'redaction_patterns' has " + redactionPatterns.size()
                        + " patterns, more than 'max_patterns' (" + maxPatterns + ")");
            }
            List<Pattern> compiled = new ArrayList<>(redactionPatterns.size());
            for (String regex : redactionPatterns) {
                if (regex.isEmpty()) {
                    problems.add("'redaction_patterns' has an empty pattern");
                } else if (regex.startsWith(BUILTIN_PREFIX)) {
                    SecretKind kind = SecretKind.byWireName(regex.substring(BUILTIN_PREFIX.length()));
                    if (kind == null) {
                        problems.add("'redaction_patterns' entry '" + regex + "' names no built-in detector");
                    } else {
                        compiled.add(kind.pattern());
                    }
                } else {
                    try {
                        Pattern pattern = Pattern.compile(regex);
                        if (pattern.matcher("").matches()) {
                            problems.add("'redaction_patterns' entry '" + regex + "' matches the empty string");
                        } else {
                            compiled.add(pattern);
                        }
                    } catch (PatternSyntaxException e) {
                        problems.add("'redaction_patterns' entry '" + regex + "' is not a valid regular expression: "
                                + e.getDescription());
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new CasilPolicyException(problems);
            }
            return new CasilPolicy(this, compiled);
        }

        private static void names(List<String> problems, String field, List<String> values) {
            for (String value : values) {
                if (value == null || value.isBlank()) {
                    problems.add("'" + field + "' has an empty entry");
                }
            }
        }
    }
}
