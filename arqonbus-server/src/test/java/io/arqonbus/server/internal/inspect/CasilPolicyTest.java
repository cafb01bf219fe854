package io.arqonbus.server.internal.inspect;


import io.arqonbus.server.casil.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policy defaults, the environment, reload merging and validation, scope patterns. */
class CasilPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void defaultsAreThoseOfTheProtocol() throws Exception {
        CasilPolicySnapshot snapshot = CasilPolicy.defaults().snapshot();
        assertThat(snapshot).isEqualTo(new CasilPolicySnapshot(false, CasilMode.MONITOR, false, List.of(), List.of(),
                262144, 65536, 32, false, List.of("password", "token", "secret"), List.of(), false, true, true,
                false));
        List<String> keys = List.of("enabled", "mode", "default_decision", "scope_include", "scope_exclude",
                "max_payload_bytes", "max_inspect_bytes", "max_patterns", "block_on_probable_secret",
                "redaction_paths", "redaction_patterns", "transport_redaction", "metadata_to_logs",
                "metadata_to_telemetry", "metadata_to_envelope");
        assertThat(CasilPolicyParser.RELOAD_KEYS).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(ServerConfig.defaults().casil().enabled()).isFalse();
    }

    @Test
    void everyVariableOfTheEnvironment() throws Exception {
        Map<String, String> env = Map.ofEntries(
                Map.entry("ARQONBUS_CASIL_ENABLED", "true"),
                Map.entry("ARQONBUS_CASIL_MODE", "ENFORCE"),
                Map.entry("ARQONBUS_CASIL_DEFAULT_DECISION", "block"),
                Map.entry("ARQONBUS_CASIL_SCOPE_INCLUDE", "secure-*, pii-*"),
                Map.entry("ARQONBUS_CASIL_SCOPE_EXCLUDE", "secure-open:*"),
                Map.entry("ARQONBUS_CASIL_MAX_PAYLOAD_BYTES", "1000"),
                Map.entry("ARQONBUS_CASIL_MAX_INSPECT_BYTES", "500"),
                Map.entry("ARQONBUS_CASIL_MAX_PATTERNS", "4"),
                Map.entry("ARQONBUS_CASIL_BLOCK_ON_PROBABLE_SECRET", "yes"),
                Map.entry("ARQONBUS_CASIL_REDACTION_PATHS", "pin, user.credentials.otp"),
                Map.entry("ARQONBUS_CASIL_REDACTION_PATTERNS", "\\d{3}-\\d{2}-\\d{4}, [a-z]{2,5}\\,x ,builtin:jwt"),
                Map.entry("ARQONBUS_CASIL_TRANSPORT_REDACTION", "1"),
                Map.entry("ARQONBUS_CASIL_NEVER_LOG_PAYLOAD_FOR", "vault:*"),
                Map.entry("ARQONBUS_CASIL_METADATA_TO_LOGS", "false"),
                Map.entry("ARQONBUS_CASIL_METADATA_TO_TELEMETRY", "off"),
                Map.entry("ARQONBUS_CASIL_METADATA_TO_ENVELOPE", "on"));
        CasilPolicy p = new EnvironmentConfig(env).applyTo(ServerConfig.builder()).build().casil();
        assertThat(p.enabled()).isTrue();
        assertThat(p.mode()).isEqualTo(CasilMode.ENFORCE);
        assertThat(p.blockByDefault()).isTrue();
        assertThat(p.scopeInclude()).containsExactly("secure-*", "pii-*");
        assertThat(p.scopeExclude()).containsExactly("secure-open:*");
        assertThat(p.maxPayloadBytes()).isEqualTo(1000);
        assertThat(p.maxInspectBytes()).isEqualTo(500);
        assertThat(p.maxPatterns()).isEqualTo(4);
        assertThat(p.blockOnProbableSecret()).isTrue();
        assertThat(p.redactionPaths()).containsExactly("pin", "user.credentials.otp");
        assertThat(p.redactionPatterns()).containsExactly("\\d{3}-\\d{2}-\\d{4}", "[a-z]{2,5},x", "builtin:jwt");
        assertThat(p.transportRedaction()).isTrue();
        assertThat(p.neverLogPayloadFor()).containsExactly("vault:*");
        assertThat(p.metadataToLogs()).isFalse();
        assertThat(p.metadataToTelemetry()).isFalse();
        assertThat(p.metadataToEnvelope()).isTrue();
        assertThat(p.redactionKeys()).containsExactly("pin");
        assertThat(p.redactionDottedPaths()).hasSize(1);
        assertThat(p.compiledPatterns()).hasSize(3);
        assertThat(p.compiledPatterns().get(2)).isSameAs(SecretKind.JWT.pattern());
    }

    @Test
    void emptyRedactionPathsMeansNone() throws Exception {
        CasilPolicy p = CasilPolicyParser.fromEnvironment(Map.of("ARQONBUS_CASIL_REDACTION_PATHS", ""),
                CasilPolicy.defaults());
        assertThat(p.redactionPaths()).isEmpty();
    }

    @Test
    void badVariablesNameTheVariable() {
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_CASIL_MODE", "strict"))
                .applyTo(ServerConfig.builder())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ARQONBUS_CASIL_MODE: 'strict' (expected: monitor or enforce)");
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_CASIL_MAX_PATTERNS", "many"))
                .applyTo(ServerConfig.builder())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ARQONBUS_CASIL_MAX_PATTERNS");
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_CASIL_ENABLED", "maybe"))
                .applyTo(ServerConfig.builder())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ARQONBUS_CASIL_ENABLED: 'maybe'");
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_CASIL_REDACTION_PATTERNS", "(unclosed"))
                .applyTo(ServerConfig.builder())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'(unclosed' is not a valid regular expression");
    }

    @Test
    void patternListsSplitOnlyAtTopLevelCommas() {
        assertThat(CasilPolicyParser.splitPatterns("a{1,3}, [,;]x ,(b,c)|d, e\\,f,,")).containsExactly(
                "a{1,3}", "[,;]x", "(b,c)|d", "e,f");
        assertThat(CasilPolicyParser.splitPatterns("\\d+")).containsExactly("\\d+");
        assertThat(CasilPolicyParser.split(" a, ,b ,")).containsExactly("a", "b");
    }

    @Test
    void reloadMergesAnySubsetOverTheCurrentPolicy() throws Exception {
        CasilPolicy current = CasilPolicy.defaults().toBuilder().enabled(true).maxInspectBytes(100).build();
        CasilPolicy next = CasilPolicyParser.merge(current, json("""
                {"mode":"enforce","scope_include":["a-*","b:*"],"redaction_patterns":"x{2,3},y",
                 "block_on_probable_secret":true}"""));
        assertThat(next.enabled()).isTrue();
        assertThat(next.maxInspectBytes()).isEqualTo(100);
        assertThat(next.mode()).isEqualTo(CasilMode.ENFORCE);
        assertThat(next.scopeInclude()).containsExactly("a-*", "b:*");
        assertThat(next.redactionPatterns()).containsExactly("x{2,3}", "y");
        assertThat(next.blockOnProbableSecret()).isTrue();
        assertThat(CasilPolicyParser.merge(current, json("{}")).snapshot()).isEqualTo(current.snapshot());
    }

    @Test
    void invalidReloadsNameEveryProblem() {
        CasilPolicy current = CasilPolicy.defaults();
        assertProblems(current, "{\"colour\":\"blue\"}", "unknown key 'colour'");
        assertProblems(current, "{\"enabled\":\"yes\"}", "'enabled' must be true or false");
        assertProblems(current, "{\"max_patterns\":1.5}", "'max_patterns' must be a whole number");
        assertProblems(current, "{\"mode\":\"strict\"}", "'mode': 'strict' (expected: monitor or enforce)");
        assertProblems(current, "{\"default_decision\":\"maybe\"}", "(expected: allow or block)");
        assertProblems(current, "{\"scope_include\":[1]}", "'scope_include' must be a list of strings");
        assertProblems(current, "{\"redaction_patterns\":[\"(\"]}", "'(' is not a valid regular expression");
        assertProblems(current, "{\"redaction_patterns\":[\"a*\"]}", "matches the empty string");
        assertProblems(current, "{\"redaction_patterns\":[\"builtin:nope\"]}", "names no built-in detector");
        assertProblems(current, "{\"max_patterns\":1,\"redaction_patterns\":[\"a\",\"b\"]}",
                "has 2 patterns, more than 'max_patterns' (1)");
        assertProblems(current, "{\"max_inspect_bytes\":0}", "'max_inspect_bytes' must be between 1 and");
        assertProblems(current, "{\"max_payload_bytes\":-1}", "'max_payload_bytes' must be between 0");
        assertProblems(current, "{\"redaction_paths\":[\"a..b\"]}", "has an empty segment");
        assertProblems(current, "{\"mode\":\"x\",\"enabled\":1}", "'mode'", "'enabled'");
    }

    private static void assertProblems(CasilPolicy current, String args, String... expected) {
        assertThatThrownBy(() -> CasilPolicyParser.merge(current, json(args)))
                .isInstanceOf(CasilPolicyException.class)
                .satisfies(e -> {
                    String all = String.join(" | ", ((CasilPolicyException) e).problems());
                    for (String part : expected) {
                        assertThat(all).contains(part);
                    }
                });
    }

    @Test
    void scopeIncludeExcludeAndTheirCache() throws Exception {
        CasilPolicy p = CasilPolicy.builder().enabled(true)
                .scopeInclude(List.of("secure-*", "*:pii", "lab:ch?")).scopeExclude(List.of("secure-open:*"))
                .build();
        assertThat(p.inScope(ChannelKey.of("secure-ops", "general").toString())).isTrue();
        assertThat(p.inScope(ChannelKey.roomWide("secure-ops").toString())).isTrue();
        assertThat(p.inScope(ChannelKey.of("secure-open", "general").toString())).isFalse();
        assertThat(p.inScope(ChannelKey.of("public", "pii").toString())).isTrue();
        assertThat(p.inScope(ChannelKey.of("public", "pii2").toString())).isFalse();
        assertThat(p.inScope(ChannelKey.of("lab", "ch1").toString())).isTrue();
        assertThat(p.inScope(ChannelKey.of("lab", "ch12").toString())).isFalse();
        assertThat(p.inScope(ChannelKey.of("science", "general").toString())).isFalse();
        assertThat(p.inScope(null)).as("no room, include not empty").isFalse();
        // Cached: asking again gives the same answers.
        assertThat(p.inScope(ChannelKey.of("secure-ops", "general").toString())).isTrue();
        assertThat(p.inScope(ChannelKey.of("secure-open", "general").toString())).isFalse();

        CasilPolicy all = CasilPolicy.builder().enabled(true).scopeExclude(List.of("noisy:*")).build();
        assertThat(all.inScope(null)).isTrue();
        assertThat(all.inScope(ChannelKey.of("any", "thing").toString())).isTrue();
        assertThat(all.inScope(ChannelKey.of("noisy", "thing").toString())).isFalse();
    }

    @Test
    void globsAreLinear() {
        assertThat(ScopePattern.matches("a*a*a*a*a*a*a*b", "a".repeat(5000))).isFalse();
        assertThat(ScopePattern.matches("*", "")).isTrue();
        assertThat(ScopePattern.matches("a*c", "abbbc")).isTrue();
        assertThat(ScopePattern.matches("a?c", "abc")).isTrue();
        assertThat(ScopePattern.matches("secure-*", "secure-")).isTrue();
    }
}
