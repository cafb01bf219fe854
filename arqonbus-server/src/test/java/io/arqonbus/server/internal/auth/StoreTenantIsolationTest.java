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
 * Attack: with JWT auth on, a connection of one tenant tries to read, list, overwrite and delete
 * another tenant's {@code op.store} keys. Naming the other tenant's namespaces is refused with
 * AUTHORIZATION_ERROR, other names are the attacker's own ({@code TenantRelativeNamespacesTest}),
 * and the victim's data is unchanged.
 */
class StoreTenantIsolationTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(HandshakeAuthTest.SECRET));

    private static TestClient connect(String sub, String role, String tenant) throws Exception {
        String token = HandshakeAuthTest.token(sub, role, tenant, Instant.now().plusSeconds(300),
                HandshakeAuthTest.SECRET);
        return server.connect(Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode reply(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void refused(JsonNode reply) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(reply.toString()).doesNotContain("alice-secret");
    }

    @Test
    void aTenantCannotReadListWriteOrDeleteAnotherTenantsKeys() throws Exception {
        TestClient alice = connect("alice", "user", "t1");
        TestClient mallory = connect("mallory", "user", "t2");

        JsonNode stored = reply(alice, "op.store.set", "{\"key\":\"plan\",\"value\":\"alice-secret\"}");
        assertThat(stored.path("payload").path("data").path("namespace").asText()).isEqualTo("tenant:t1");
        reply(alice, "op.store.set", "{\"namespace\":\"tenant:t1:agents\",\"key\":\"a1\",\"value\":\"alice-secret\"}");

        refused(reply(mallory, "op.store.get", "{\"namespace\":\"tenant:t1\",\"key\":\"plan\"}"));
        refused(reply(mallory, "op.store.list", "{\"namespace\":\"tenant:t1\"}"));
        refused(reply(mallory, "op.store.list", "{\"namespace\":\"tenant:t1:agents\"}"));
        refused(reply(mallory, "op.store.set", "{\"namespace\":\"tenant:t1\",\"key\":\"plan\",\"value\":\"x\"}"));
        refused(reply(mallory, "op.store.delete", "{\"namespace\":\"tenant:t1\",\"key\":\"plan\"}"));
        // A name outside the tenant's absolute names is relative to the caller's tenant: Mallory's
        // "default" is her own (tenant:t2:default), never the shared one nor Alice's.
        JsonNode relative = reply(mallory, "op.store.get", "{\"namespace\":\"default\",\"key\":\"plan\"}");
        assertThat(relative.path("payload").path("data").path("found").asBoolean()).isFalse();
        assertThat(relative.toString()).doesNotContain("alice-secret");
        // Names that merely start with the victim's tenant id are other tenants' namespaces too.
        TestClient t1x = connect("eve", "user", "t");
        refused(reply(t1x, "op.store.get", "{\"namespace\":\"tenant:t1\",\"key\":\"plan\"}"));
        refused(reply(alice, "op.store.list", "{\"namespace\":\"tenant:t10\"}"));

        // Mallory's own default namespace is hers: the same key is simply not there.
        JsonNode own = reply(mallory, "op.store.get", "{\"key\":\"plan\"}").path("payload").path("data");
        assertThat(own.path("namespace").asText()).isEqualTo("tenant:t2");
        assertThat(own.path("found").asBoolean()).isFalse();

        // A connection without a tenant may not enter tenant namespaces either.
        TestClient loner = connect("loner", "user", null);
        refused(reply(loner, "op.store.get", "{\"namespace\":\"tenant:t1\",\"key\":\"plan\"}"));
        assertThat(reply(loner, "op.store.list", "{}").path("payload").path("data").path("namespace").asText())
                .isEqualTo("default");

        // The victim's data is intact; an admin may read any namespace.
        JsonNode mine = reply(alice, "op.store.get", "{\"key\":\"plan\"}").path("payload").path("data");
        assertThat(mine.path("value").asText()).isEqualTo("alice-secret");
        TestClient admin = connect("root", "admin", null);
        assertThat(reply(admin, "op.store.list", "{\"namespace\":\"tenant:t1:agents\"}")
                .path("payload").path("data").path("keys").toString()).isEqualTo("[\"a1\"]");
    }
}
