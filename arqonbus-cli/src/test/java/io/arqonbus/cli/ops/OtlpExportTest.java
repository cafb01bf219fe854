package io.arqonbus.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.arqonbus.cli.crash.ServerProcess;
import io.arqonbus.server.testing.TestClient;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with a real OTLP/HTTP receiver: {@code arqon serve} in a process of its own,
 * configured only by the standard {@code OTEL_*} variables, exports a publication's spans, which
 * arrive (decoded with the OTLP protobuf classes) with the service's name and the right parents.
 */
class OtlpExportTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PUBLISHER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;

    /** One exported span with its service's name. */
    record Exported(String service, Span span) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }
    }

    @Test
    void aPublicationsSpansReachAnOtlpReceiverWithTheirParents() throws Exception {
        List<Exported> received = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
            } catch (IOException | RuntimeException e) {
                errors.add(e);
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = resource.getResource().getAttributesList().stream()
                        .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                        .map(v -> v.getStringValue()).findFirst().orElse(null);
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    scope.getSpansList().forEach(span -> received.add(new Exported(service, span)));
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Map<String, String> env = Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "OTEL_SERVICE_NAME", "arqonbus-e2e");
        try (ServerProcess server = ServerProcess.start(env, List.of(), dir.resolve("server.log"))) {
            TestClient subscriber = TestClient.connect(server.uri()).get(T.toMillis(), TimeUnit.MILLISECONDS);
            TestClient publisher = TestClient.connect(server.uri()).get(T.toMillis(), TimeUnit.MILLISECONDS);
            subscriber.joinChannel("otlp", "e2e").get(T.toMillis(), TimeUnit.MILLISECONDS);
            ObjectNode frame = TestClient.object().put("type", "message").put("room", "otlp").put("channel", "e2e");
            frame.putObject("payload").put("n", 1);
            frame.putObject("metadata").put("traceparent", "00-" + TRACE_ID + "-" + PUBLISHER_SPAN + "-01");

            publisher.send(frame).join();

            JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
            try {
                await().atMost(T).until(() -> received.stream().filter(s -> s.traceId().equals(TRACE_ID))
                        .map(Exported::name).toList().containsAll(List.of("arqonbus.receive", "arqonbus.inspect", "arqonbus.sequence",
                                "arqonbus.store", "arqonbus.fanout")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("spans: " + received.stream().map(Exported::name).toList() + ", paths: "
                        + paths + ", errors: " + errors + ", server log:\n"
                        + java.nio.file.Files.readString(dir.resolve("server.log")), e);
            }
            List<Exported> trace = received.stream().filter(s -> s.traceId().equals(TRACE_ID)).toList();
            Exported receive = trace.stream().filter(s -> s.name().equals("arqonbus.receive")).findFirst()
                    .orElseThrow();
            assertThat(paths).contains("/v1/traces");
            assertThat(receive.service()).isEqualTo("arqonbus-e2e");
            assertThat(receive.parentId()).isEqualTo(PUBLISHER_SPAN);
            assertThat(receive.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(trace).hasSize(5);
            for (Exported step : trace) {
                if (!step.name().equals("arqonbus.receive")) {
                    assertThat(step.parentId()).as(step.name()).isEqualTo(receive.spanId());
                }
            }
            assertThat(delivered.path("metadata").path("traceparent").asText())
                    .isEqualTo("00-" + TRACE_ID + "-" + receive.spanId() + "-01");
            subscriber.close();
            publisher.close();
        } finally {
            collector.stop(0);
        }
    }
}
