package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpEndpointsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.httpUri(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(ArqonBusExtension.TIMEOUT)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    @Test
    void healthIsHealthy() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("service").asText()).isEqualTo("arqonbus");
        assertThat(body.path("version").asText()).isEqualTo(server.bus().info().version());
        assertThat(body.path("uptime_seconds").isNumber()).isTrue();
        assertThat(Instant.parse(body.path("timestamp").asText())).isNotNull();
        assertThat(body.has("reasons")).isFalse();
    }

    @Test
    void readyWhileRunning() throws Exception {
        HttpResponse<String> response = get("/ready");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("ready").asBoolean()).isTrue();
        assertThat(body.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void versionNamesServiceProtocolAndBuild() throws Exception {
        HttpResponse<String> response = get("/version");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("service").asText()).isEqualTo("arqonbus");
        assertThat(body.path("version").asText()).isEqualTo(server.bus().info().version());
        assertThat(body.path("protocol_version").asText()).isEqualTo("1.0");
        assertThat(body.path("build").asText()).isNotBlank();
        assertThat(body.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void statusHasTheDocumentedShapeAndLiveCounts() throws Exception {
        TestClient a = server.connect();
        TestClient b = server.connect();
        assertThat(a.joinChannel("status-room", "one").get().path("status").asText()).isEqualTo("success");
        b.joinChannel("status-room", "one").get();
        a.publish("status-room", "one", Map.of("n", 1));
        b.await(f -> "status-room".equals(f.path("room").asText()) && "message".equals(f.path("type").asText()),
                ArqonBusExtension.TIMEOUT);

        HttpResponse<String> response = get("/status");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        ArqonBus bus = server.bus();
        assertThat(body.path("status").asText()).isEqualTo("running");
        assertThat(body.path("service").asText()).isEqualTo("arqonbus");
        assertThat(body.path("version").asText()).isEqualTo(bus.info().version());
        assertThat(body.path("uptime_seconds").isNumber()).isTrue();
        assertThat(body.path("timestamp").asText()).endsWith("Z");

        JsonNode endpoints = body.path("endpoints");
        assertThat(endpoints.path("websocket").asText()).isEqualTo("ws://127.0.0.1:" + bus.busAddress().getPort());
        assertThat(endpoints.path("telemetry").asText())
                .isEqualTo("ws://127.0.0.1:" + bus.telemetryAddress().getPort());
        assertThat(endpoints.path("http").asText()).isEqualTo("http://127.0.0.1:" + bus.httpAddress().getPort());

        JsonNode connections = body.path("connections");
        assertThat(connections.path("active").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(connections.path("websocket").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(connections.path("telemetry").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(connections.path("by_type").isObject()).isTrue();
        int byTypeSum = 0;
        for (JsonNode count : connections.path("by_type")) {
            byTypeSum += count.asInt();
        }
        assertThat(byTypeSum).isEqualTo(connections.path("active").asInt());

        assertThat(body.path("rooms").asInt()).isGreaterThanOrEqualTo(2); // science + status-room
        assertThat(body.path("channels").asInt()).isGreaterThanOrEqualTo(8);

        JsonNode messages = body.path("messages");
        assertThat(messages.path("total_published").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(messages.path("received").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(messages.path("delivered").asLong()).isGreaterThanOrEqualTo(1);

        JsonNode storage = body.path("storage");
        assertThat(storage.path("backend").asText()).isEqualTo("memory");
        assertThat(storage.path("history_size").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(storage.path("history_bytes").asLong()).isPositive(); // the direct memory it takes
    }

    @Test
    void headAnswersHeadersWithoutBody() throws Exception {
        for (String path : new String[] {"/health", "/ready", "/version", "/status", "/metrics"}) {
            HttpResponse<String> head = send("HEAD", path);
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValueAsLong("content-length").orElse(0)).as(path).isPositive();
        }
        try (RawHttp raw = new RawHttp(server.bus().httpAddress())) {
            raw.send("HEAD /version HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = raw.read(true);
            RawHttp.Response get = raw.read();
            assertThat(head.status()).isEqualTo(200);
            assertThat(get.status()).isEqualTo(200);
            assertThat(Integer.parseInt(head.header("content-length"))).isEqualTo(get.body().getBytes().length);
        }
    }

    @Test
    void unknownPathIs404Json() throws Exception {
        HttpResponse<String> response = get("/nope?x=1");
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("Not Found");
        assertThat(body.path("details").asText()).contains("/nope");
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> response = send(method, "/health");
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
            JsonNode body = json(response);
            assertThat(body.path("error").asText()).isEqualTo("Method Not Allowed");
            assertThat(body.path("details").asText()).contains(method);
        }
    }

    @Test
    void malformedRequestIs400JsonAndCloses() throws Exception {
        try (RawHttp raw = new RawHttp(server.bus().httpAddress())) {
            raw.send("THIS IS NOT HTTP\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("content-type")).isEqualTo("application/json; charset=utf-8");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("error").asText()).isEqualTo("Bad Request");
            assertThat(body.path("details").asText()).isNotBlank();
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyOverTheLimitIs413Json() throws Exception {
        try (RawHttp raw = new RawHttp(server.bus().httpAddress())) {
            int size = HttpApiServer.MAX_REQUEST_BYTES + 1;
            raw.send("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(413);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("error").asText()).isEqualTo("Request Entity Too Large");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(server.bus().httpAddress())) {
            raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = raw.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("connection")).isNull();
            raw.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(JSON.readTree(raw.read().body()).path("status").asText()).isEqualTo("ready");
            // pipelined: answers come back in request order
            raw.send("GET /version HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(JSON.readTree(raw.read().body()).has("protocol_version")).isTrue();
            assertThat(raw.read().status()).isEqualTo(404);
            RawHttp.Response last = raw.read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("connection")).isEqualToIgnoringCase("close");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() throws Exception {
        try (RawHttp raw = new RawHttp(server.bus().httpAddress())) {
            raw.send("GET /health HTTP/1.0\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.closedByServer()).isTrue();
        }
    }
}
