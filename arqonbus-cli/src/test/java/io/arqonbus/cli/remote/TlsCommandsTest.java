package io.arqonbus.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code arqon status} and {@code arqon tail} against a server speaking TLS with a self-signed
 * certificate: refused by the JDK's trust store, accepted with {@code --ca-file} (or
 * {@code ARQONBUS_CA_FILE}) naming that certificate.
 */
class TlsCommandsTest {
    private static final String cert = resource("server.crt");
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1)
            .tlsCertFile(cert).tlsKeyFile(resource("server.key")));

    static String resource(String name) {
        try {
            return Path.of(TlsCommandsTest.class.getResource("/tls/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArqonBus bus() {
        return server.bus();
    }

    @Test
    void statusOverHttpsTrustsTheGivenCertificate() {
        String url = "https://127.0.0.1:" + bus().httpAddress().getPort();
        CliRunner.Result untrusted = new CliRunner().run("status", "--http-url", url);
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).startsWith("arqon: Failed to reach " + url + "/status");

        CliRunner.Result trusted = new CliRunner().run("status", "--http-url", url, "--ca-file", cert);
        assertThat(trusted.exitCode()).as(trusted.err()).isZero();
        assertThat(trusted.out()).contains("\"websocket\": \"wss://127.0.0.1:" + bus().busAddress().getPort() + "\"");

        CliRunner.Result fromEnv = new CliRunner(Map.of("ARQONBUS_CA_FILE", cert)).run("version", "--http-url", url);
        assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();

        CliRunner.Result notPem = new CliRunner().run("status", "--http-url", url, "--ca-file", "/nonexistent.pem");
        assertThat(notPem.exitCode()).isEqualTo(2);
        assertThat(notPem.err()).contains("--ca-file /nonexistent.pem: cannot read it");
    }

    @Test
    void tailOverWssTrustsTheGivenCertificate() {
        String url = "wss://127.0.0.1:" + bus().busAddress().getPort() + "/";
        CliRunner.Result untrusted = new CliRunner().run("tail", "--ws-url", url, "--timeout-seconds", "5");
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).startsWith("arqon: Failed to connect to " + url);

        CliRunner.Result welcome = new CliRunner().run("tail", "--ws-url", url, "--ca-file", cert, "--raw",
                "--limit", "1", "--timeout-seconds", "5");
        assertThat(welcome.exitCode()).as(welcome.err()).isZero();
        assertThat(welcome.out()).contains("\"welcome\": \"Connected to ArqonBus\"");
    }
}
