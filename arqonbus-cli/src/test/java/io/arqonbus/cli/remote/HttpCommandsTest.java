package io.arqonbus.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code arqon version} and {@code arqon status}: the HTTP-client side against a small stub (JDK
 * HttpServer) answering with protocol §10 shapes, and against the real server's HTTP port when its
 * endpoints answer.
 */
class HttpCommandsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).ioThreads(1));
    private static HttpServer stub;
    private static String base;

    @BeforeAll
    static void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        respond("/version", 200, "{\"version\":\"1.2.3\",\"service\":\"arqonbus\",\"protocol_version\":\"1.0\","
                + "\"build\":\"1.2.3+x\",\"timestamp\":\"2026-11-22T04:05:00.445Z\"}");
        respond("/status", 200, "{\"status\":\"running\",\"uptime_seconds\":1.5,\"version\":\"1.2.3\","
                + "\"endpoints\":{\"websocket\":\"ws://127.0.0.1:9100\",\"telemetry\":\"ws://127.0.0.1:8081\","
                + "\"http\":\"http://127.0.0.1:8080\"},\"connections\":0,\"rooms\":1,\"channels\":7,\"messages\":0,"
                + "\"storage\":{\"backend\":\"memory\"}}");
        stub.start();
        base = "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private static void respond(String path, int status, String body) {
        stub.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    @AfterAll
    static void stopStub() {
        stub.stop(0);
    }

    @Test
    void versionPrintsSortedIndentedJson() {
        CliRunner.Result result = new CliRunner().run("version", "--http-url", base + "/");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(("arqon " + io.arqonbus.server.status.ServerInfo.readVersion()[0] + """

                {
                  "build": "1.2.3+x",
                  "protocol_version": "1.0",
                  "service": "arqonbus",
                  "timestamp": "2026-11-22T04:05:00.445Z",
                  "version": "1.2.3"
                }
                """).replace("\n", System.lineSeparator()));
    }

    @Test
    void versionWithoutAServerPrintsTheLocalVersionAndSaysWhy() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CliRunner.Result result = new CliRunner().run("version", "--http-url", "http://127.0.0.1:" + port);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("arqon " + io.arqonbus.server.status.ServerInfo.readVersion()[0]
                + System.lineSeparator());
        assertThat(result.err()).contains("connection refused").doesNotContain("Exception");
    }

    @Test
    void statusUsesTheEnvironmentUrlAndPrettyPrintsNestedObjects() {
        CliRunner.Result result = new CliRunner(Map.of("ARQONBUS_HTTP_URL", base)).run("status");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("{" + System.lineSeparator() + "  \"channels\": 7,")
                .contains("  \"endpoints\": {" + System.lineSeparator() + "    \"http\": \"http://127.0.0.1:8080\",")
                .contains("\"status\": \"running\"");
    }

    @Test
    void httpErrorsAndUnreachableServersExitOne() throws IOException {
        CliRunner.Result notFound = new CliRunner().run("version", "--http-url", base + "/nothing-here");
        assertThat(notFound.exitCode()).isEqualTo(1);
        assertThat(notFound.err()).startsWith("arqon: HTTP 404 calling " + base + "/nothing-here/version");

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CliRunner.Result unreachable = new CliRunner().run("status", "--http-url", "http://127.0.0.1:" + port,
                "--timeout-seconds", "2");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("arqon: Failed to reach http://127.0.0.1:" + port + "/status");

        assertThat(new CliRunner().run("status", "--http-url", "ftp://x").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("status", "--timeout-seconds", "0").exitCode()).isEqualTo(2);
    }

    /** Runs against the real server's HTTP port and its /version and /status endpoints (protocol §10). */
    @Test
    void realServerEndpoints() throws Exception {
        String http = "http://127.0.0.1:" + server.bus().httpAddress().getPort();
        assertThat(answers(http + "/version")).as("GET /version answers 200").isTrue();
        assertThat(answers(http + "/status")).as("GET /status answers 200").isTrue();
        CliRunner.Result version = new CliRunner().run("version", "--http-url", http);
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).contains("\"service\": \"arqonbus\"").contains("\"protocol_version\": \"1.0\"");
        CliRunner.Result status = new CliRunner().run("status", "--http-url", http);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("\"status\": \"running\"");
    }

    private static boolean answers(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
    }
}
