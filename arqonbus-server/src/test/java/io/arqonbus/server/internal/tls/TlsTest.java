package io.arqonbus.server.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.TlsConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLS from PEM files on the bus, telemetry and HTTP ports: real clients trusting the test
 * certificate talk {@code wss://} and {@code https://}; a plain client gets nowhere; bad files
 * stop the start with a clear message.
 */
class TlsTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(TlsTest.class.getResource("/tls/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP client that trusts exactly the test certificate. */
    static HttpClient trusting(String certName) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/" + certName)) {
            trust.setCertificateEntry("arqonbus", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(T).build();
    }

    private ArqonBus start(ServerConfig.Builder config) {
        ArqonBus bus = ArqonBus.builder().config(config.host("127.0.0.1").port(0).telemetryPort(0).httpPort(0)
                .statsInterval(Duration.ZERO).build()).build();
        bus.start().orTimeout(T.toMillis(), TimeUnit.MILLISECONDS).join();
        open.add(bus);
        return bus;
    }

    private static ServerConfig.Builder tls() {
        return ServerConfig.builder().tlsCertFile(resource("server.crt").toString())
                .tlsKeyFile(resource("server.key").toString());
    }

    private static String hostPort(InetSocketAddress address) {
        return "127.0.0.1:" + address.getPort();
    }

    private TestClient client(HttpClient http, ArqonBus bus) {
        TestClient client = TestClient.connect(http, URI.create("wss://" + hostPort(bus.busAddress()) + "/"),
                Map.of()).orTimeout(T.toMillis(), TimeUnit.MILLISECONDS).join();
        open.add(client);
        return client;
    }

    @Test
    void everyPortSpeaksTlsAndMessagesFlowOverIt() throws Exception {
        ArqonBus bus = start(tls());
        HttpClient http = trusting("server.crt");

        TestClient a = client(http, bus);
        TestClient b = client(http, bus);
        a.joinChannel("secure", "room").get();
        b.joinChannel("secure", "room").get();
        for (int i = 0; i < 50; i++) {
            a.publish("secure", "room", Map.of("n", i, "pad", "x".repeat(2000)));
        }
        for (int i = 0; i < 50; i++) {
            int expected = i;
            JsonNode got = b.await(f -> "message".equals(f.path("type").asText()), T);
            assertThat(got.path("payload").path("n").asInt()).isEqualTo(expected);
        }

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                URI.create("https://" + hostPort(bus.httpAddress()) + "/status")).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode endpoints = TestClient.parse(status.body()).path("endpoints");
        assertThat(endpoints.path("websocket").asText()).startsWith("wss://");
        assertThat(endpoints.path("telemetry").asText()).startsWith("wss://");
        assertThat(endpoints.path("http").asText()).startsWith("https://");

        CompletableFuture<String> welcome = new CompletableFuture<>();
        WebSocket telemetry = http.newWebSocketBuilder().buildAsync(
                URI.create("wss://" + hostPort(bus.telemetryAddress()) + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        welcome.complete(data.toString());
                        return null;
                    }
                }).get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(welcome.get(T.toMillis(), TimeUnit.MILLISECONDS)).contains("telemetry_connected");
        telemetry.abort();
    }

    @Test
    void aPlainClientIsNotServedAndTheServerCarriesOn() throws Exception {
        ArqonBus bus = start(tls());
        assertThatThrownBy(() -> TestClient.connect(URI.create("ws://" + hostPort(bus.busAddress()) + "/"))
                .get(T.toMillis(), TimeUnit.MILLISECONDS)).hasCauseInstanceOf(java.io.IOException.class);
        HttpClient plain = HttpClient.newBuilder().connectTimeout(T).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                URI.create("http://" + hostPort(bus.httpAddress()) + "/health")).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        // A client that does not trust the certificate is refused by its own TLS stack.
        assertThatThrownBy(() -> TestClient.connect(URI.create("wss://" + hostPort(bus.busAddress()) + "/"))
                .get(T.toMillis(), TimeUnit.MILLISECONDS)).hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(bus.stats().clients()).isZero();

        TestClient trusted = client(trusting("server.crt"), bus);
        assertThat(trusted.command("ping", null).get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void onlyTheNamedPortsSpeakTls() throws Exception {
        ArqonBus bus = start(tls().tlsPorts(Set.of(TlsConfig.Port.BUS)));
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + hostPort(bus.httpAddress()) + "/health")).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        client(trusting("server.crt"), bus);
    }

    @Test
    void anEncryptedKeyOpensWithItsPassword() throws Exception {
        ArqonBus bus = start(ServerConfig.builder().tlsCertFile(resource("server-rsa.crt").toString())
                .tlsKeyFile(resource("server-encrypted.key").toString()).tlsKeyPassword("changeit"));
        client(trusting("server-rsa.crt"), bus);
    }

    @Test
    void badFilesStopTheStartWithAClearMessage() {
        ServerConfig wrongPassword = ServerConfig.builder().host("127.0.0.1").port(0).telemetryPort(-1).httpPort(-1)
                .tlsCertFile(resource("server-rsa.crt").toString())
                .tlsKeyFile(resource("server-encrypted.key").toString()).tlsKeyPassword("wrong").build();
        assertThatThrownBy(() -> ArqonBus.builder().config(wrongPassword).build().start().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(ConfigException.class)
                .hasMessageContaining("TLS: cannot use certificate").hasMessageContaining("password");
        ServerConfig mismatched = ServerConfig.builder().host("127.0.0.1").port(0).telemetryPort(-1).httpPort(-1)
                .tlsCertFile(resource("server.crt").toString())
                .tlsKeyFile(resource("server-encrypted.key").toString()).tlsKeyPassword("changeit").build();
        assertThatThrownBy(() -> ArqonBus.builder().config(mismatched).build().start().join())
                .cause().isInstanceOf(ConfigException.class).hasMessageContaining("TLS: cannot use certificate");

        assertThatThrownBy(() -> ServerConfig.builder().tlsCertFile(resource("server.crt").toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("both a certificate and its private key");
        assertThatThrownBy(() -> ServerConfig.builder().tlsCertFile("/nonexistent.crt").tlsKeyFile("/nonexistent.key")
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent.crt");
        assertThatThrownBy(() -> TlsConfig.parsePorts("ARQONBUS_TLS_PORTS", "bus,ftp"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ftp'");
    }
}
