package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ARQONBUS_TELEMETRY_AUTH with JWT auth and no API keys: an admin token opens the telemetry port, a user token does not. */
class TelemetryTokenAuthTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryAuth(true).authEnabled(true)
            .jwtSecret(TestTokens.SECRET));

    @Test
    void anAdminTokenOpensTheStreamAndAUserTokenIsRefused() throws Exception {
        URI telemetry = server.telemetryUri();
        assertThat(TelemetryAuthTest.refusal(telemetry, TestTokens.token("bob", "user", null))).isEqualTo(403);
        assertThat(TelemetryAuthTest.refusal(telemetry, "not.a.token")).isEqualTo(401);
        assertThat(TelemetryAuthTest.refusal(telemetry, null)).isEqualTo(401);
        assertThat(TelemetryAuthTest.welcome(URI.create(telemetry + "?token=" + TestTokens.token("root", "admin", null))))
                .contains("telemetry_connected");
    }
}
