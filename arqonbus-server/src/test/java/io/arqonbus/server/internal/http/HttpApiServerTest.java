package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.status.ServerInfo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The HTTP port's handler on its own, with endpoints that fail, answer late or report problems. */
class HttpApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CompletableFuture<HttpAnswer> late = new CompletableFuture<>();
    private static EventLoopGroup group;
    private static Channel serverChannel;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HealthCheck broken = () -> List.of("history store (memory) is unavailable: disk on fire");
        HttpRouter router = HttpRouter.builder()
                .get("/throws", call -> {
                    throw new IllegalStateException("boom");
                })
                .get("/fails", call -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
                .get("/wrapped", call -> CompletableFuture.failedFuture(
                        new CompletionException(new ExecutionException(new IllegalStateException("deep")))))
                .get("/late", call -> late)
                .get("/now", call -> CompletableFuture.completedFuture(
                        HttpAnswer.text(HttpResponseStatus.OK, "text/plain", "now")))
                .get("/health", new HealthEndpoint(new FixedView(Readiness.STARTING), broken))
                .get("/ready", new ReadyEndpoint(new FixedView(Readiness.STARTING)))
                .build();
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new HttpApiServer(router, Duration.ofMillis(300)))
                .bind("127.0.0.1", 0).sync().channel();
    }

    @AfterAll
    static void stop() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static RawHttp connect() throws Exception {
        return new RawHttp((InetSocketAddress) serverChannel.localAddress());
    }

    @Test
    void endpointFailureIs500JsonAndTheConnectionStaysUsable() throws Exception {
        try (RawHttp raw = connect()) {
            for (String path : List.of("/throws", "/fails")) {
                raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response response = raw.read();
                assertThat(response.status()).as(path).isEqualTo(500);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.path("error").asText()).isEqualTo("Internal Server Error");
                assertThat(body.path("details").asText()).isEqualTo("The server failed to answer " + path);
            }
            raw.send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read().body()).isEqualTo("now");
        }
    }

    @Test
    void aFailureInsideFutureWrappersIsLoggedAsItselfAndAnswered500() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(HttpRequestHandler.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (RawHttp raw = connect()) {
            raw.send("GET /wrapped HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(500);
            assertThat(JSON.readTree(response.body()).path("details").asText())
                    .isEqualTo("The server failed to answer /wrapped");
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).extracting(e -> e.getKeyValuePairs().stream().map(p -> p.key + "=" + p.value).toList())
                .contains(List.of("event=http_endpoint_failed", "path=/wrapped", "error=java.lang.IllegalStateException: deep"));
    }

    @Test
    void pipelinedAnswersKeepRequestOrderWhenTheFirstIsLate() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send("GET /late HTTP/1.1\r\nHost: x\r\n\r\nGET /now HTTP/1.1\r\nHost: x\r\n\r\n");
            CompletableFuture.runAsync(() -> late.complete(
                    HttpAnswer.text(HttpResponseStatus.OK, "text/plain", "late")),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            assertThat(raw.read().body()).isEqualTo("late");
            assertThat(raw.read().body()).isEqualTo("now");
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(raw.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void healthWithProblemsIs503Degraded() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(503);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("status").asText()).isEqualTo("degraded");
            assertThat(body.path("service").asText()).isEqualTo("arqonbus");
            assertThat(body.path("reasons").get(0).asText()).contains("history store");
        }
    }

    @Test
    void notReadyWhileStarting() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(503);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("status").asText()).isEqualTo("starting");
            assertThat(body.path("ready").asBoolean()).isFalse();
        }
    }

    /** A view with fixed values, for endpoints tested without a bus. */
    private record FixedView(Readiness readiness) implements BusView {
        @Override public ServerInfo info() { return new ServerInfo("9.9.9", "9.9.9+test", Instant.EPOCH, "nio"); }
        @Override public Instant now() { return Instant.parse("2026-01-01T00:00:00Z"); }
        @Override public double uptimeSeconds() { return 1.5; }
        @Override public String websocketUrl() { return "ws://127.0.0.1:1"; }
        @Override public String telemetryUrl() { return null; }
        @Override public String httpUrl() { return null; }
        @Override public int activeClients() { return 0; }
        @Override public int websocketConnections() { return 0; }
        @Override public int telemetryConnections() { return 0; }
        @Override public Map<String, Integer> clientsByType() { return Map.of(); }
        @Override public int rooms() { return 0; }
        @Override public int channels() { return 0; }
        @Override public long publishedTotal() { return 0; }
        @Override public long receivedTotal() { return 0; }
        @Override public long deliveredTotal() { return 0; }
        @Override public String storageBackend() { return "memory"; }
        @Override public long historySize() { return 0; }
        @Override public String scrapeMetrics() { return ""; }
    }
}
