package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilMode;
import io.arqonbus.server.casil.CasilPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decisions of the CASIL inspector without a server: modes, redaction, sizing, failures. */
class CasilInspectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChannelKey HERE = ChannelKey.of("lab", "x");

    static Envelope envelope(String payload) throws Exception {
        return Envelope.builder("arq_t1", "2026-01-01T00:00:00Z", MessageType.MESSAGE)
                .room("lab").channel("x").payload((ObjectNode) JSON.readTree(payload)).build();
    }

    static Inspection inspect(CasilPolicy.Builder policy, String payload) throws Exception {
        return new CasilInspector(new CasilPolicyHolder(policy.enabled(true).build())).inspect(envelope(payload), HERE);
    }

    @Test
    void disabledOrOutOfScopeIsNotInspected() throws Exception {
        Envelope e = envelope("{\"password\":\"x\"}");
        assertThat(new CasilInspector(new CasilPolicyHolder(CasilPolicy.defaults())).inspect(e, HERE))
                .isSameAs(Inspection.PASS);
        assertThat(inspect(CasilPolicy.builder().scopeInclude(List.of("other-*")), "{\"password\":\"x\"}"))
                .isSameAs(Inspection.PASS);
    }

    @Test
    void cleanPayloadIsAllowedUnchanged() throws Exception {
        Inspection i = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE).blockOnProbableSecret(true),
                "{\"text\":\"hello\",\"n\":1}");
        assertThat(i.decision()).isEqualTo(InspectionDecision.ALLOW);
        assertThat(i.envelope()).isNull();
        assertThat(i.inspected()).isTrue();
        assertThat(i.classification().payloadBytes()).isEqualTo("{\"text\":\"hello\",\"n\":1}".length());
    }

    @Test
    void monitorFlagsButNeverBlocksOrChanges() throws Exception {
        String payload = "{\"k\":\"" + Secrets.AWS_ACCESS_KEY + "\",\"password\":\"p\"}";
        Inspection i = inspect(CasilPolicy.builder().mode(CasilMode.MONITOR).blockOnProbableSecret(true)
                .transportRedaction(true).maxPayloadBytes(10), payload);
        assertThat(i.decision()).isEqualTo(InspectionDecision.ALLOW_WITH_FLAGS);
        assertThat(i.reasonCode()).isEqualTo("CASIL_MONITOR_MODE");
        assertThat(i.envelope()).isNull();
        assertThat(i.wouldBlock()).isEqualTo(ErrorCode.CASIL_POLICY_OVERSIZE);
        assertThat(i.classification().toJson().path("kinds").toString())
                .contains("aws_access_key", "keyword_password");
        assertThat(i.classification().oversize()).isTrue();
    }

    @Test
    void enforceBlocksOversizeThenSecrets() throws Exception {
        Inspection oversize = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE).maxPayloadBytes(20),
                "{\"text\":\"" + "x".repeat(30) + "\"}");
        assertThat(oversize.blocked()).isTrue();
        assertThat(oversize.blockCode()).isEqualTo(ErrorCode.CASIL_POLICY_OVERSIZE);
        assertThat(oversize.reason()).isEqualTo("oversize_payload");

        Inspection secret = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE).blockOnProbableSecret(true),
                "{\"pem\":\"" + Secrets.PRIVATE_KEY.replace("\n", "\\n") + "\"}");
        assertThat(secret.blocked()).isTrue();
        assertThat(secret.blockCode()).isEqualTo(ErrorCode.CASIL_POLICY_BLOCKED_SECRET);
        assertThat(secret.reason()).isEqualTo("contains_probable_secret");

        Inspection notBlocking = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE),
                "{\"k\":\"" + Secrets.AWS_ACCESS_KEY + "\"}");
        assertThat(notBlocking.decision()).isEqualTo(InspectionDecision.ALLOW_WITH_FLAGS);
        assertThat(notBlocking.reasonCode()).isEqualTo("CASIL_POLICY_ALLOWED");
    }

    @Test
    void enforceRedactsKeysDottedPathsAndPatternsInACopy() throws Exception {
        String payload = "{\"user\":{\"Password\":\"hunter2\",\"credentials\":{\"pin\":1234}},"
                + "\"items\":[{\"note\":\"id " + Secrets.AWS_ACCESS_KEY + " end\"}],\"text\":\"ssn 123-45-6789\"}";
        Envelope original = envelope(payload);
        String before = original.payload().toString();
        CasilPolicy policy = CasilPolicy.builder().enabled(true).mode(CasilMode.ENFORCE).transportRedaction(true)
                .redactionPaths(List.of("password", "user.credentials.pin"))
                .redactionPatterns(List.of("\\d{3}-\\d{2}-\\d{4}", "builtin:aws_access_key"))
                .metadataToEnvelope(true).build();
        Inspection i = new CasilInspector(new CasilPolicyHolder(policy)).inspect(original, HERE);
        assertThat(i.decision()).isEqualTo(InspectionDecision.REDACT);
        ObjectNode out = i.envelope().payload();
        assertThat(out.path("user").path("Password").asText()).isEqualTo("***REDACTED***");
        assertThat(out.path("user").path("credentials").path("pin").asText()).isEqualTo("***REDACTED***");
        assertThat(out.path("items").get(0).path("note").asText()).isEqualTo("id ***REDACTED*** end");
        assertThat(out.path("text").asText()).isEqualTo("ssn ***REDACTED***");
        assertThat(original.payload().toString()).as("the original tree is untouched").isEqualTo(before);
        ObjectNode casil = (ObjectNode) i.envelope().metadata().path("casil");
        assertThat(casil.path("decision").asText()).isEqualTo("redact");
        assertThat(casil.path("reason_code").asText()).isEqualTo("CASIL_POLICY_REDACTED");
        assertThat(casil.path("risk_level").asText()).isEqualTo("high");
        assertThat(casil.path("flags").path("redacted").asInt()).isEqualTo(4);
        assertThat(casil.path("flags").path("kinds").toString()).contains("aws_access_key", "custom");
    }

    @Test
    void detectionSeesOnlyTheFirstMaxInspectBytes() throws Exception {
        String payload = "{\"pad\":\"" + "x".repeat(200) + "\",\"k\":\"" + Secrets.AWS_ACCESS_KEY + "\"}";
        Inspection cut = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE).blockOnProbableSecret(true)
                .maxInspectBytes(100), payload);
        assertThat(cut.blocked()).isFalse();
        assertThat(cut.classification().truncated()).isTrue();
        Inspection whole = inspect(CasilPolicy.builder().mode(CasilMode.ENFORCE).blockOnProbableSecret(true)
                .maxInspectBytes(1000), payload);
        assertThat(whole.blocked()).isTrue();
    }

    @Test
    void sizeIsTheSerializedUtf8Size() throws Exception {
        String payload = "{\"t\":\"é\\n\\\"\",\"a\":[1,true,null],\"o\":{}}";
        Envelope e = envelope(payload);
        long expected = JSON.writeValueAsBytes(e.payload()).length;
        Inspection i = inspect(CasilPolicy.builder(), payload);
        assertThat(i.classification().payloadBytes()).isEqualTo(expected);
    }

    @Test
    void aRunawayPatternFallsBackToTheDefaultDecision() throws Exception {
        String payload = "{\"t\":\"" + "a".repeat(64) + "!\"}";
        CasilPolicy.Builder policy = CasilPolicy.builder().enabled(true).mode(CasilMode.ENFORCE)
                .redactionPatterns(List.of("((a+)+)+\\}x"));
        CasilInspector allow = new CasilInspector(new CasilPolicyHolder(policy.build()), Duration.ofMillis(20));
        Inspection allowed = allow.inspect(envelope(payload), HERE);
        assertThat(allowed.decision()).isEqualTo(InspectionDecision.ALLOW_WITH_FLAGS);
        assertThat(allowed.reasonCode()).isEqualTo("CASIL_INTERNAL_ERROR");
        assertThat(allowed.failure()).contains("longer than");

        CasilInspector block = new CasilInspector(new CasilPolicyHolder(policy.blockByDefault(true).build()),
                Duration.ofMillis(20));
        Inspection blocked = block.inspect(envelope(payload), HERE);
        assertThat(blocked.blocked()).isTrue();
        assertThat(blocked.blockCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(blocked.reason()).isEqualTo("inspection_failed");
    }

    @Test
    void observabilityCopyMasksCredentialShapes() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"note\":\"key " + Secrets.AWS_ACCESS_KEY + "\",\"token\":\"t\"}");
        ObjectNode view = Redactor.forObservability(payload, CasilPolicy.defaults(), System.nanoTime() + 1_000_000_000L);
        assertThat(view.path("note").asText()).isEqualTo("key ***REDACTED***");
        assertThat(view.path("token").asText()).isEqualTo("***REDACTED***");
    }
}
