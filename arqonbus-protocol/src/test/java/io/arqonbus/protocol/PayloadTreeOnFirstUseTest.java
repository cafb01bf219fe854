package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A publication's payload is decoded as its text and read into a tree only when someone asks:
 * a plain publication is checked and copied, never turned into a tree; the rules that read the
 * payload (commands, private targets, telemetry, the legacy {@code message}) read it at once.
 */
class PayloadTreeOnFirstUseTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(),
            Clock.fixed(Instant.parse("2026-11-22T04:05:00.445Z"), ZoneOffset.UTC));

    private Envelope decode(String frame) {
        Inbound inbound = codec.decode(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(inbound).isInstanceOf(Inbound.Message.class);
        return ((Inbound.Message) inbound).envelope();
    }

    @Test
    void aPlainPublicationIsEncodedFromItsTextWithoutATree() {
        String payload = "{\"n\":1.50,\"s\":\"caf\\u00e9\",\"a\":[1,{\"b\":null}]}";
        Envelope envelope = decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":" + payload + "}");
        assertThat(envelope.payloadJson()).isNotNull();
        assertThat(envelope.payloadJson().treeRead()).isFalse();
        Envelope stamped = envelope.toBuilder().sender("me").build().withPosition(new StreamPosition(3, "e"));
        assertThat(codec.encodeToString(stamped)).contains("\"payload\":" + payload);
        assertThat(envelope.payloadJson().treeRead()).as("encoding copies the text").isFalse();
    }

    @Test
    void theTreeIsReadOnFirstUseAndIsTheSameForEveryReader() {
        Envelope envelope = decode("{\"type\":\"event\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"k\":[1,2]}}");
        ObjectNode first = envelope.payload();
        assertThat(envelope.payloadJson().treeRead()).isTrue();
        assertThat(first.get("k").get(1).intValue()).isEqualTo(2);
        assertThat(envelope.payload()).isSameAs(first);
        assertThat(envelope.withSender("x").payload()).isSameAs(first);
        assertThat(envelope.payloadJson().isTextOf(first)).isTrue();
        assertThat(codec.encodeToString(envelope)).contains("\"payload\":{\"k\":[1,2]}");
    }

    @Test
    void threadsAskingAtOnceGetOneTree() throws Exception {
        for (int round = 0; round < 50; round++) {
            Envelope envelope = decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"x\":" + round + "}}");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<ObjectNode>> readers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    readers.add(envelope::payload);
                }
                List<Future<ObjectNode>> trees = pool.invokeAll(readers);
                for (Future<ObjectNode> tree : trees) {
                    assertThat(tree.get()).isSameAs(trees.get(0).get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void rulesThatReadThePayloadReadItAtOnce() {
        Envelope command = decode("{\"type\":\"command\",\"payload\":{\"command\":\"status\",\"parameters\":{\"a\":1}}}");
        assertThat(command.command()).isEqualTo("status");
        assertThat(command.args().get("a").intValue()).isEqualTo(1);
        Envelope privately = decode("{\"type\":\"private\",\"payload\":{\"target\":[\"a\",\"b\"]}}");
        assertThat(privately.to()).containsExactly("a", "b");
        Envelope legacy = decode("{\"type\":\"message\",\"room\":\"r\",\"message\":\"hi\",\"payload\":{\"a\":1}}");
        assertThat(legacy.payload().get("message").asText()).isEqualTo("hi");
        assertThat(legacy.payloadJson()).as("the payload is no longer the text").isNull();
    }

    @Test
    void aRepeatedNameAtAnyDepthDropsTheTextAndKeepsTheLastValue() {
        Envelope envelope = decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\","
                + "\"payload\":{\"o\":{\"a\":1,\"b\":[{\"c\":1,\"c\":2}]},\"z\":0}}");
        assertThat(envelope.payloadJson()).isNull();
        assertThat(codec.encodeToString(envelope)).contains("\"payload\":{\"o\":{\"a\":1,\"b\":[{\"c\":2}]},\"z\":0}");
        StringBuilder many = new StringBuilder("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{");
        for (int i = 0; i < 40; i++) {
            many.append("\"k").append(i).append("\":").append(i).append(',');
        }
        Envelope distinct = decode(many + "\"k40\":0}}");
        assertThat(distinct.payloadJson()).as("40 distinct names").isNotNull();
        Envelope repeated = decode(many + "\"k17\":0}}");
        assertThat(repeated.payloadJson()).as("the 18th name again, past the linear check").isNull();
        assertThat(repeated.payload().get("k17").intValue()).isZero();
    }

    @Test
    void sameNamesInSiblingObjectsAreNotRepeats() {
        Envelope envelope = decode("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\","
                + "\"payload\":{\"a\":{\"x\":1},\"b\":{\"x\":2,\"a\":3},\"x\":[{\"x\":1},{\"x\":2}]}}");
        assertThat(envelope.payloadJson()).isNotNull();
        assertThat(envelope.payloadJson().treeRead()).isFalse();
    }
}
