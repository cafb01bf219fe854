package io.arqonbus.server.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing through the embedding API ({@code ArqonBus.Builder.openTelemetry}) with the SDK's
 * in-memory exporter: a publication's spans and their parents, the server's traceparent in what
 * subscribers and webhooks receive, a command's span, an HTTP call's span.
 */
class TracingTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(
                    // As in production: spans queued on the event loops, exported by the SDK's own thread.
                    BatchSpanProcessor.builder(SPANS).setScheduleDelay(Duration.ofMillis(20)).build()).build())
            .build();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> { }, b -> b.openTelemetry(OTEL));

    @AfterAll
    static void closeSdk() {
        OTEL.close();
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
    }

    /** A publisher's context: a new trace id and span id, sampled. */
    record Parent(String traceId, String spanId) {
        static Parent random() {
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            ThreadLocalRandom.current().nextBytes(trace);
            ThreadLocalRandom.current().nextBytes(span);
            trace[0] |= 1;
            span[0] |= 1;
            return new Parent(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(span));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    static ObjectNode publication(String room, String channel, Parent parent) {
        ObjectNode frame = TestClient.object().put("type", "message").put("room", room).put("channel", channel);
        frame.putObject("payload").put("n", 1);
        frame.putObject("metadata").put("traceparent", parent.traceparent()).put("tracestate", "vendor=abc")
                .put("app", "kept");
        return frame;
    }

    static SpanData span(String name, String traceId) {
        return span(name, traceId, SPANS);
    }

    static SpanData span(String name, String traceId, InMemorySpanExporter spans) {
        return await().atMost(T).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name) && s.getTraceId().equals(traceId)).findFirst().orElse(null),
                s -> s != null);
    }

    static String spanIdOf(String traceparent) {
        return traceparent.split("-")[2];
    }

    @Test
    void aTracedPublicationHasItsStepsAsChildrenOfTheReceiveSpanAndSubscribersGetItsTraceparent()
            throws Exception {
        TestClient subscriber = server.connect();
        TestClient publisher = server.connect();
        subscriber.joinChannel("trace", "steps").get(T.toMillis(), TimeUnit.MILLISECONDS);
        Parent parent = Parent.random();

        publisher.send(publication("trace", "steps", parent)).join();

        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        SpanData receive = span(BusTracing.RECEIVE, parent.traceId());
        assertThat(receive.getParentSpanId()).isEqualTo(parent.spanId());
        assertThat(receive.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(receive.getAttributes().asMap().toString())
                .contains("messaging.destination.name=trace:steps").contains("arqonbus.client_id=" + publisher.clientId());
        String traceparent = delivered.path("metadata").path("traceparent").asText();
        assertThat(traceparent).startsWith("00-" + parent.traceId() + "-");
        assertThat(spanIdOf(traceparent)).isEqualTo(receive.getSpanId());
        assertThat(delivered.path("metadata").path("tracestate").asText()).isEqualTo("vendor=abc");
        assertThat(delivered.path("metadata").path("app").asText()).isEqualTo("kept");
        for (String step : List.of(BusTracing.INSPECT, BusTracing.SEQUENCE, BusTracing.STORE, BusTracing.FAN_OUT)) {
            SpanData child = span(step, parent.traceId());
            assertThat(child.getParentSpanId()).as(step).isEqualTo(receive.getSpanId());
        }
        assertThat(span(BusTracing.FAN_OUT, parent.traceId()).getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(span(BusTracing.STORE, parent.traceId()).getAttributes().asMap().toString())
                .contains("arqonbus.offset=" + delivered.path("metadata").path("offset").asLong());
    }

    @Test
    void aPublicationWithoutTraceparentStartsATraceOfItsOwn() throws Exception {
        TestClient subscriber = server.connect();
        TestClient publisher = server.connect();
        subscriber.joinChannel("trace", "fresh").get(T.toMillis(), TimeUnit.MILLISECONDS);

        publisher.publish("trace", "fresh", Map.of("n", 2)).join();

        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        String traceparent = delivered.path("metadata").path("traceparent").asText();
        String traceId = traceparent.split("-")[1];
        SpanData receive = span(BusTracing.RECEIVE, traceId);
        assertThat(receive.getParentSpanContext().isValid()).isFalse();
        assertThat(span(BusTracing.FAN_OUT, traceId).getParentSpanId()).isEqualTo(receive.getSpanId());
    }

    @Test
    void aCommandHasASpan() throws Exception {
        TestClient client = server.connect();
        Parent parent = Parent.random();
        ObjectNode frame = TestClient.object().put("id", "arq_cmd_trace_1").put("type", "command").put("command", "ping");
        frame.putObject("args");
        frame.putObject("metadata").put("traceparent", parent.traceparent());

        client.send(frame).join();

        JsonNode reply = client.await(f -> "arq_cmd_trace_1".equals(f.path("request_id").asText()), T);
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        SpanData receive = span(BusTracing.RECEIVE, parent.traceId());
        SpanData command = span(BusTracing.COMMAND, parent.traceId());
        assertThat(receive.getParentSpanId()).isEqualTo(parent.spanId());
        assertThat(command.getParentSpanId()).isEqualTo(receive.getSpanId());
        assertThat(command.getAttributes().asMap().toString()).contains("arqonbus.command=ping");
    }

    @Test
    void anHttpPublishHasASpanThatItsPublicationFollows() throws Exception {
        TestClient subscriber = server.connect();
        subscriber.joinChannel("trace", "http").get(T.toMillis(), TimeUnit.MILLISECONDS);
        Parent parent = Parent.random();
        HttpRequest request = HttpRequest.newBuilder(server.httpUri("/api/publish"))
                .timeout(T)
                .header("Content-Type", "application/json")
                .header("traceparent", parent.traceparent())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"room\":\"trace\",\"channel\":\"http\",\"payload\":{\"n\":3}}"))
                .build();

        HttpResponse<String> answer;
        try (HttpClient http = HttpClient.newHttpClient()) {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        SpanData call = span("POST /api/publish", parent.traceId());
        assertThat(call.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(call.getParentSpanId()).isEqualTo(parent.spanId());
        assertThat(call.getAttributes().asMap().toString()).contains("http.response.status_code=200");
        JsonNode delivered = subscriber.await(f -> "message".equals(f.path("type").asText()), T);
        assertThat(spanIdOf(delivered.path("metadata").path("traceparent").asText())).isEqualTo(call.getSpanId());
        assertThat(span(BusTracing.FAN_OUT, parent.traceId()).getParentSpanId()).isEqualTo(call.getSpanId());
    }

    @Test
    void aWebhookDeliveryCarriesTraceparentInItsHeadersAndItsEnvelope() throws Exception {
        List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            headers.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            TestClient owner = server.connect();
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            JsonNode registered = owner.command("op.webhook.register", TestClient.parse(
                    "{\"url\":\"" + url + "\",\"room\":\"trace\",\"channel\":\"hooked\"}"))
                    .get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(registered.path("status").asText()).as("%s", registered).isEqualTo("success");
            Parent parent = Parent.random();

            owner.send(publication("trace", "hooked", parent)).join();

            await().atMost(T).until(() -> !bodies.isEmpty());
            SpanData receive = span(BusTracing.RECEIVE, parent.traceId());
            SpanData webhook = span(BusTracing.WEBHOOK, parent.traceId());
            assertThat(webhook.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(webhook.getParentSpanId()).isEqualTo(receive.getSpanId());
            assertThat(webhook.getAttributes().asMap().toString()).contains("http.response.status_code=200");
            String header = headers.get(0).entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("traceparent"))
                    .map(e -> e.getValue().get(0)).findFirst().orElseThrow();
            assertThat(header).isEqualTo("00-" + parent.traceId() + "-" + webhook.getSpanId() + "-01");
            JsonNode body = TestClient.parse(new String(bodies.get(0), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(spanIdOf(body.path("envelope").path("metadata").path("traceparent").asText()))
                    .isEqualTo(receive.getSpanId());
        } finally {
            receiver.stop(0);
        }
    }
}
