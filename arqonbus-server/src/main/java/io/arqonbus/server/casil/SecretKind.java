package io.arqonbus.server.casil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The built-in probable-secret detectors. Each has a name (what {@code flags.kinds} lists), a
 * regular expression and one or more lower-case literal hints: the expression only runs when a
 * hint occurs in the inspected text (case-insensitively), so a payload without any hint costs a
 * few vectorized {@code indexOf} scans and no regex at all. For the keyword kinds the hint alone
 * decides (it is exactly what the expression matches).
 *
 * <p>The first six are the protocol's default set ({@code api[_-]?key}, {@code secret},
 * {@code token}, {@code password}, {@code bearer …}, {@code sk_/pk_(live|test)_…}, all
 * case-insensitive keywords); the others recognise well-known credential shapes. Every one of
 * them can also be named in {@code redaction_patterns} as {@code builtin:<name>}.
 */
public enum SecretKind {
    /** The word {@code api key} in any of its spellings ({@code apikey}, {@code api_key}, {@code api-key}). */
    KEYWORD_API_KEY("keyword_api_key", "(?i)api[_-]?key", true, "apikey", "api_key", "api-key"),
    /** The word {@code secret}. */
    KEYWORD_SECRET("keyword_secret", "(?i)secret", true, "secret"),
    /** The word {@code token}. */
    KEYWORD_TOKEN("keyword_token", "(?i)token", true, "token"),
    /** The word {@code password}. */
    KEYWORD_PASSWORD("keyword_password", "(?i)password", true, "password"),
    /** {@code Bearer <credential>} (an HTTP Authorization value). */
    BEARER_TOKEN("bearer_token", "(?i)\\bbearer\\s+[A-Za-z0-9\\-._~+/]{8,}=*", false, "bearer"),
    /** Stripe-style keys: {@code sk_live_…}, {@code pk_test_…} (16+ characters after the prefix). */
    STRIPE_KEY("stripe_key", "(?<![A-Za-z0-9])[sp]k_(?:live|test)_[0-9A-Za-z]{16,}", false, "k_live_", "k_test_"),
    /** AWS access key id: {@code AKIA} (long-term) or {@code ASIA} (temporary) and 16 upper-case letters or digits. */
    AWS_ACCESS_KEY("aws_access_key", "A[KS]IA(?<![A-Z0-9]A[KS]IA)[0-9A-Z]{16}(?![A-Z0-9])", false, "akia", "asia"),
    /** AWS secret access key: 40 base64 characters close after a name mentioning {@code aws} and {@code secret}. */
    AWS_SECRET_KEY("aws_secret_key",
            "(?i)aws[A-Za-z0-9_ .-]{0,24}?secret[A-Za-z0-9_ .-]{0,24}?[\"']?\\s*[:=]\\s*[\"']?"
                    + "[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])", false, "aws"),
    /** Google API key: {@code AIza} and 35 characters. */
    GCP_API_KEY("gcp_api_key", "AIza[0-9A-Za-z_\\-]{35}(?![0-9A-Za-z_\\-])", false, "aiza"),
    /** A Google service-account key file ({@code "type":"service_account"}). */
    GCP_SERVICE_ACCOUNT("gcp_service_account", "\"type\"\\s*:\\s*\"service_account\"", false, "service_account"),
    /** Azure storage connection string key: {@code AccountKey=} and 86 base64 characters and {@code ==}. */
    AZURE_STORAGE_KEY("azure_storage_key", "(?i)AccountKey=[A-Za-z0-9+/]{86}==", false, "accountkey="),
    /** A PEM private key block ({@code -----BEGIN … PRIVATE KEY-----}, to its END line when present). */
    PRIVATE_KEY("private_key",
            "-----BEGIN[ A-Z0-9]{0,32}PRIVATE KEY-----(?:[\\s\\S]{0,16384}?-----END[ A-Z0-9]{0,32}PRIVATE KEY-----)?",
            false, "private key-----"),
    /** A JSON Web Token: three base64url parts, the first two JSON objects ({@code eyJ…}). */
    JWT("jwt", "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*", false, "eyj"),
    /** GitHub tokens: {@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_} and 36 characters, or {@code github_pat_…}. */
    GITHUB_TOKEN("github_token", "(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})(?![A-Za-z0-9_])", false,
            "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    /** Slack tokens: {@code xoxb-}, {@code xoxa-}, {@code xoxp-}, {@code xoxr-}, {@code xoxs-}. */
    SLACK_TOKEN("slack_token", "xox[abprs]-[A-Za-z0-9-]{10,}", false, "xox"),
    /**
     * A generic API key: a key-like name ({@code api_key}, {@code access_key}, {@code secret_key},
     * {@code client_secret}, {@code auth_token}, {@code private_key}…) given a value of 20 or more
     * key characters.
     */
    GENERIC_API_KEY("generic_api_key",
            "(?i)(?:api|access|secret|private|client|auth)[_-]?(?:key|secret|token)[\"']?\\s*[:=]\\s*[\"']?"
                    + "[A-Za-z0-9_\\-+/=]{20,}", false, "key", "secret", "token");

    private static final SecretKind[] VALUES = values();
    /** Common short literals that longer hints contain: those hints are searched only when their gate occurs. */
    private static final List<String> GATES = List.of("key", "gh", "k_");
    /** Every distinct hint (gates included), by id. */
    private static final String[] HINTS;
    /** The id of each hint's gate, or -1. */
    private static final int[] HINT_GATES;

    static {
        List<String> hints = new ArrayList<>(GATES);
        for (SecretKind kind : VALUES) {
            kind.hintIds = new int[kind.hints.length];
            for (int i = 0; i < kind.hints.length; i++) {
                int id = hints.indexOf(kind.hints[i]);
                if (id < 0) {
                    id = hints.size();
                    hints.add(kind.hints[i]);
                }
                kind.hintIds[i] = id;
            }
        }
        if (hints.size() > 64) {
            throw new IllegalStateException("at most 64 distinct hints");
        }
        HINTS = hints.toArray(String[]::new);
        HINT_GATES = new int[HINTS.length];
        for (int id = 0; id < HINTS.length; id++) {
            HINT_GATES[id] = -1;
            for (int g = 0; g < GATES.size(); g++) {
                if (id != g && HINTS[id].contains(GATES.get(g))) {
                    HINT_GATES[id] = g;
                }
            }
        }
    }

    private final String wireName;
    private final Pattern pattern;
    private final boolean hintDecides;
    private final String[] hints;
    private int[] hintIds;

    SecretKind(String wireName, String regex, boolean hintDecides, String... hints) {
        this.wireName = wireName;
        this.pattern = Pattern.compile(regex);
        this.hintDecides = hintDecides;
        this.hints = hints;
        for (String hint : hints) {
            if (!hint.equals(hint.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("hints are lower case: " + hint);
            }
        }
    }

    /** The name in {@code flags.kinds} and in {@code builtin:<name>}. */
    public String wireName() {
        return wireName;
    }

    /** The expression (also used to redact when named as {@code builtin:<name>}). */
    public Pattern pattern() {
        return pattern;
    }

    /** Whether the kind is a keyword (a name such as {@code password}) rather than a credential shape. */
    public boolean isKeyword() {
        return hintDecides;
    }

    /** The kind with this name, or {@code null}. */
    public static SecretKind byWireName(String name) {
        for (SecretKind kind : VALUES) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    /**
     * The kinds found in {@code text}, as a bit set ({@code 1 << ordinal}). Each distinct hint is
     * searched at most once, and the hints that contain a shorter, common one ({@code key},
     * {@code gh}, {@code k_}) only when that one occurs: a payload with nothing suspicious costs
     * about fifteen {@code indexOf} scans.
     *
     * @param text  the inspected text
     * @param lower the same text in lower case (for the hints)
     */
    public static int detect(CharSequence text, String lower) {
        long known = 0;
        long hit = 0;
        int found = 0;
        for (SecretKind kind : VALUES) {
            boolean hinted = false;
            for (int id : kind.hintIds) {
                int gate = HINT_GATES[id];
                if (gate >= 0) {
                    if ((known & 1L << gate) == 0) {
                        known |= 1L << gate;
                        if (lower.indexOf(HINTS[gate]) >= 0) {
                            hit |= 1L << gate;
                        }
                    }
                    if ((hit & 1L << gate) == 0) {
                        continue;
                    }
                }
                if ((known & 1L << id) == 0) {
                    known |= 1L << id;
                    if (lower.indexOf(HINTS[id]) >= 0) {
                        hit |= 1L << id;
                    }
                }
                if ((hit & 1L << id) != 0) {
                    hinted = true;
                    break;
                }
            }
            if (hinted && (kind.hintDecides || kind.pattern.matcher(text).find())) {
                found |= 1 << kind.ordinal();
            }
        }
        return found;
    }

    /** The kinds of a bit set from {@link #detect}, in declaration order. */
    public static List<SecretKind> of(int bits) {
        List<SecretKind> kinds = new ArrayList<>(Integer.bitCount(bits));
        for (SecretKind kind : VALUES) {
            if ((bits & (1 << kind.ordinal())) != 0) {
                kinds.add(kind);
            }
        }
        return kinds;
    }
}
