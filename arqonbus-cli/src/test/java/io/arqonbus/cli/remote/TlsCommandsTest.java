package io.arqonbus.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code arqon status} and {@code arqon tail} against a server speaking TLS with a self-signed
 * certificate: refused by the JDK's trust store, accepted with {@code --ca-file} (or
 * {@code ARQONBUS_CA_FILE}) naming that certificate.
 */
class TlsCommandsTest {
    private static ArqonBus bus;
    private static String cert;

    static Path resource(String name) throws Exception {
        return Path.of(TlsCommandsTest.class.getResource("/tls/" + name).toURI());
    }

    @BeforeAll
    static void start() throws Exception {
        cert = resource("server.crt").toString();
        bus = ArqonBus.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).telemetryPort(-1).httpPort(0)
                .statsInterval(Duration.ZERO).tlsCertFile(cert).tlsKeyFile(resource("server.key").toString())
                .build()).build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @Test
    void statusOverHttpsTrustsTheGivenCertificate() {
        String url = "https://127.0.0.1:" + bus.httpAddress().getPort();
        CliRunner.Result untrusted = new CliRunner().run("status", "--http-url", url);
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).startsWith("arqon: Failed to reach " + url + "/status");

        CliRunner.Result trusted = new CliRunner().run("status", "--http-url", url, "--ca-file", cert);
        assertThat(trusted.exitCode()).as(trusted.err()).isZero();
        assertThat(trusted.out()).contains("\"websocket\": \"wss://127.0.0.1:" + bus.busAddress().getPort() + "\"");

        CliRunner.Result fromEnv = new CliRunner(Map.of("ARQONBUS_CA_FILE", cert)).run("version", "--http-url", url);
        assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();

        CliRunner.Result notPem = new CliRunner().run("status", "--http-url", url, "--ca-file", "/nonexistent.pem");
        assertThat(notPem.exitCode()).isEqualTo(2);
        assertThat(notPem.err()).contains("--ca-file /nonexistent.pem: cannot read it");
    }

    @Test
    void tailOverWssTrustsTheGivenCertificate() {
        String url = "wss://127.0.0.1:" + bus.busAddress().getPort() + "/";
        CliRunner.Result untrusted = new CliRunner().run("tail", "--ws-url", url, "--timeout-seconds", "5");
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).startsWith("arqon: Failed to connect to " + url);

        CliRunner.Result welcome = new CliRunner().run("tail", "--ws-url", url, "--ca-file", cert, "--raw",
                "--timeout-seconds", "5");
        assertThat(welcome.exitCode()).as(welcome.err()).isZero();
        assertThat(welcome.out()).contains("\"welcome\": \"Connected to ArqonBus\"");
    }
}
