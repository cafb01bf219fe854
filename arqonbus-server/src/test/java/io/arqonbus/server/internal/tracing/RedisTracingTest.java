package io.arqonbus.server.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import io.arqonbus.server.testing.TestClient;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis calls of a traced publication (the history append on a real {@code redis-server}) are
 * CLIENT spans, children of the publication's {@code arqonbus.store} span; Redis traffic outside a
 * trace records nothing.
 */
class RedisTracingTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
            .build();

    static final RedisServer redis = RedisServer.launch();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(
            b -> b.redis(RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(5))),
            b -> b.openTelemetry(OTEL));

    @AfterAll
    static void stopRedis() {
        OTEL.close();
        redis.close();
    }

    @Test
    void theStoreAppendsRedisCommandIsAChildOfTheStoreSpan() throws Exception {
        assertThat(server.components().history().backend()).isEqualTo("redis");
        TestClient subscriber = server.connect();
        TestClient publisher = server.connect();
        subscriber.joinChannel("traced", "redis").get(T.toMillis(), TimeUnit.MILLISECONDS);
        TracingTest.Parent parent = TracingTest.Parent.random();
        ObjectNode frame = TracingTest.publication("traced", "redis", parent);
        frame.put("ack", "durable");

        publisher.send(frame).join();

        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        SpanData store = TracingTest.span(BusTracing.STORE, parent.traceId(), SPANS);
        SpanData command;
        try {
            command = await().atMost(T).until(() -> SPANS.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.CLIENT && s.getTraceId().equals(parent.traceId()))
                    .findFirst().orElse(null), s -> s != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no Redis span among " + SPANS.getFinishedSpanItems(), e);
        }
        assertThat(command.getParentSpanId()).isEqualTo(store.getSpanId());
        assertThat(command.getName()).isEqualToIgnoringCase("EVALSHA");
        assertThat(command.getAttributes().asMap().toString()).contains("db.system.name=redis")
                .contains("server.port=" + redis.port()).doesNotContain("redis.args");
        // The command is issued inside the store step. Their ends are not ordered: Lettuce completes
        // the append's future (which ends the store span) before its tracing hook ends the command's span.
        assertThat(command.getStartEpochNanos()).isGreaterThanOrEqualTo(store.getStartEpochNanos());
        assertThat(delivered.path("metadata").path("offset").asLong()).isPositive();
        assertThat(SPANS.getFinishedSpanItems()).as("Redis commands outside a trace record nothing")
                .allMatch(s -> s.getParentSpanContext().isValid() || s.getName().startsWith("arqonbus."));
    }
}
