package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /ready} answers 503 "draining" from {@code stop()} until the clients have left, then the port closes. */
class ReadinessDuringStopTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.shutdownGrace(Duration.ofSeconds(8))
            .closeWait(Duration.ofSeconds(8)));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyTurns503WhileDrainingThenThePortCloses() throws Exception {
        InetSocketAddress httpAddress = server.bus().httpAddress();
        InetSocketAddress bus = server.bus().busAddress();
        try (Socket wsClient = new Socket(bus.getAddress(), bus.getPort());
                RawHttp first = new RawHttp(httpAddress);
                RawHttp second = new RawHttp(httpAddress)) {
            upgrade(wsClient);
            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> server.components().sessions().size() == 1);
            // Two keep-alive HTTP connections, registered on the two event loops in turn.
            for (RawHttp raw : List.of(first, second)) {
                raw.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(raw.read().status()).isEqualTo(200);
            }

            // The bus client reads nothing and never answers the server's close frame, so the
            // drain cannot finish (for up to the close wait) until the client closes its socket.
            CompletableFuture<Void> stopped = server.bus().stop();
            assertThat(server.bus().readiness()).isEqualTo(Readiness.DRAINING);

            // At least one of the two connections is served by the other event loop.
            List<CompletableFuture<RawHttp.Response>> answers = List.of(ready(first), ready(second));
            RawHttp.Response draining = (RawHttp.Response) CompletableFuture
                    .anyOf(answers.toArray(CompletableFuture[]::new))
                    .get(ArqonBusExtension.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(draining.status()).isEqualTo(503);
            JsonNode body = JSON.readTree(draining.body());
            assertThat(body.path("status").asText()).isEqualTo("draining");
            assertThat(body.path("ready").asBoolean()).isFalse();
            assertThat(body.path("timestamp").asText()).endsWith("Z");
            assertThat(stopped).isNotDone();

            wsClient.close();
            stopped.get(ArqonBusExtension.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(server.httpUri("/ready")).timeout(Duration.ofSeconds(5)).build();
        await().atMost(ArqonBusExtension.TIMEOUT).untilAsserted(() ->
                assertThatThrownBy(() -> fresh.send(request, HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(ConnectException.class));
    }

    private static CompletableFuture<RawHttp.Response> ready(RawHttp raw) throws IOException {
        raw.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return raw.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void upgrade(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 101");
    }
}
