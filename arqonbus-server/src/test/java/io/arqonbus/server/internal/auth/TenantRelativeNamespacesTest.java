package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth on, {@code op.store} namespaces a tenant's connection names are relative to its tenant,
 * as the original SDK expects: {@code op.store.set} with namespace {@code agents} succeeds, is
 * stored as {@code tenant:T:agents}, is echoed as {@code agents}, and two tenants' {@code agents}
 * never meet.
 */
class TenantRelativeNamespacesTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET));

    private static TestClient connect(String sub, String role, String tenant) throws Exception {
        String token = HandshakeAuthTest.token(sub, role, tenant, Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        return server.connect(Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode data(TestClient client, String command, String args) throws Exception {
        JsonNode reply = client.command(command, TestClient.parse(args))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    @Test
    void aTenantsOwnNamespaceNamesWorkAndStayInsideItsTenant() throws Exception {
        TestClient alice = connect("alice", "user", "t1");
        TestClient bob = connect("bob", "user", "t2");

        JsonNode set = data(alice, "op.store.set", "{\"namespace\":\"agents\",\"key\":\"a1\",\"value\":\"alice\"}");
        assertThat(set.path("namespace").asText()).isEqualTo("agents");
        assertThat(set.path("updated").asBoolean()).isFalse();
        data(bob, "op.store.set", "{\"namespace\":\"agents\",\"key\":\"a1\",\"value\":\"bob\"}");

        // Each tenant reads its own "agents", echoed by the name it used.
        JsonNode got = data(alice, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"a1\"}");
        assertThat(got.path("namespace").asText()).isEqualTo("agents");
        assertThat(got.path("value").asText()).isEqualTo("alice");
        assertThat(data(bob, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"a1\"}").path("value").asText())
                .isEqualTo("bob");
        JsonNode listed = data(alice, "op.store.list", "{\"namespace\":\"agents\"}");
        assertThat(listed.path("namespace").asText()).isEqualTo("agents");
        assertThat(listed.path("keys").toString()).isEqualTo("[\"a1\"]");

        // Transparently stored under the tenant: the absolute name reaches the same key.
        assertThat(data(alice, "op.store.get", "{\"namespace\":\"tenant:t1:agents\",\"key\":\"a1\"}")
                .path("value").asText()).isEqualTo("alice");
        TestClient admin = connect("root", "admin", null);
        assertThat(data(admin, "op.store.get", "{\"namespace\":\"tenant:t2:agents\",\"key\":\"a1\"}")
                .path("value").asText()).isEqualTo("bob");
        assertThat(data(admin, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"a1\"}")
                .path("found").asBoolean()).as("no shared 'agents' was written").isFalse();

        // Delete removes only the caller's own.
        assertThat(data(bob, "op.store.delete", "{\"namespace\":\"agents\",\"key\":\"a1\"}")
                .path("deleted").asBoolean()).isTrue();
        assertThat(data(alice, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"a1\"}")
                .path("value").asText()).isEqualTo("alice");
    }

    @Test
    void aBadKeyIsAValidationErrorBeforeTheNamespaceIsJudged() throws Exception {
        TestClient alice = connect("alice", "user", "t1");
        JsonNode reply = alice.command("op.store.get", TestClient.parse("{\"namespace\":\"tenant:t2\",\"key\":\"\"}"))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("error_code").asText()).as("%s", reply).isEqualTo("VALIDATION_ERROR");
        JsonNode reserved = alice.command("op.store.get",
                TestClient.parse("{\"namespace\":\"arqonbus:cron\",\"key\":\"k\"}"))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reserved.path("error_code").asText()).as("%s", reserved).isEqualTo("AUTHORIZATION_ERROR");
    }
}
