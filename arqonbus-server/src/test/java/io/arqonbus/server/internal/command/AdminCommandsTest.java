package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminCommandsTest {
    private static final String SECRET = "admin-commands-test-secret-0123456789abcdef";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));

    private static String token(String subject, String role) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (role != null) {
            claims.claim("role", role);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static TestClient connect(String subject, String role) throws Exception {
        return server.connect(Map.of("Authorization", "Bearer " + token(subject, role)));
    }

    @Test
    void anAdminCreatesAChannelAndAnotherCreateConflicts() throws Exception {
        TestClient admin = connect("root", "Admin");
        TestClient telemetry = TestClient.connect(server.telemetryUri())
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            JsonNode data = ok(admin, "create_channel", args("room", "ops", "channel", "alerts"));
            assertThat(data.path("room").asText()).isEqualTo("ops");
            assertThat(data.path("channel").asText()).isEqualTo("alerts");
            assertThat(data.path("created_at").asText()).endsWith("Z");

            JsonNode created = telemetry.await(f -> "channel_created".equals(f.path("event_type").asText())
                    && "alerts".equals(f.path("data").path("channel").asText()), ArqonBusExtension.TIMEOUT);
            assertThat(created.path("data").path("room").asText()).isEqualTo("ops");
            assertThat(created.path("data").path("created_by").asText()).isEqualTo(admin.clientId());

            // Created without joining: the admin is not a member.
            JsonNode info = ok(admin, "channel_info", args("room", "ops:alerts"));
            assertThat(info.path("member_count").asInt()).isZero();
            assertThat(info.path("metadata").path("created_by").asText()).isEqualTo(admin.clientId());

            assertThat(error(admin, "create_channel", args("room", "ops:alerts"), "CONFLICT").path("error").asText())
                    .isEqualTo("Channel 'alerts' already exists in room 'ops'");
            error(admin, "create_channel", args("room", "science", "channel", "general"), "CONFLICT");
            error(admin, "create_channel", args("room", "ops"), "VALIDATION_ERROR");
        } finally {
            telemetry.abort();
        }
    }

    @Test
    void anAdminDeletesOnlyEmptyDynamicChannels() throws Exception {
        TestClient admin = connect("root", "admin");
        TestClient member = connect("alice", null);
        ok(admin, "create_channel", args("room", "ops", "channel", "temp"));
        member.joinChannel("ops", "temp").get();
        member.publish("ops", "temp", Map.of("n", 1));
        member.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);

        assertThat(error(admin, "delete_channel", args("room", "ops", "channel", "temp"), "CONFLICT")
                .path("error").asText()).isEqualTo("Channel ops:temp has members; it can be deleted only when empty");
        member.leaveChannel("ops", "temp").get();

        TestClient telemetry = TestClient.connect(server.telemetryUri())
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            JsonNode data = ok(admin, "delete_channel", args("room", "ops", "channel", "temp"));
            assertThat(data.path("room").asText()).isEqualTo("ops");
            assertThat(data.path("channel").asText()).isEqualTo("temp");
            JsonNode deleted = telemetry.await(f -> "channel_deleted".equals(f.path("event_type").asText()),
                    ArqonBusExtension.TIMEOUT);
            assertThat(deleted.path("data").path("channel").asText()).isEqualTo("temp");
            assertThat(deleted.path("data").path("deleted_by").asText()).isEqualTo(admin.clientId());
        } finally {
            telemetry.abort();
        }
        assertThat(server.components().hub().channel(ChannelKey.of("ops", "temp"))).isNull();
        error(admin, "channel_info", args("room", "ops", "channel", "temp"), "NOT_FOUND");
        assertThat(error(admin, "delete_channel", args("room", "ops", "channel", "temp"), "NOT_FOUND")
                .path("error").asText()).isEqualTo("Channel 'temp' not found in room 'ops'");
        error(admin, "delete_channel", args("room", "nowhere", "channel", "temp"), "NOT_FOUND");

        // Its history went with it: a channel created again under the name starts empty, new epoch.
        ok(admin, "create_channel", args("room", "ops", "channel", "temp"));
        assertThat(ok(admin, "history", args("room", "ops", "channel", "temp")).path("count").asInt()).isZero();
    }

    @Test
    void bootstrappedChannelsCannotBeDeleted() throws Exception {
        TestClient admin = connect("root", "ADMIN");
        assertThat(error(admin, "delete_channel", args("room", "science:share"), "CONFLICT").path("error").asText())
                .isEqualTo("Channel science:share is bootstrapped and cannot be deleted");
        assertThat(server.components().hub().channel(ChannelKey.of("science", "share"))).isNotNull();
    }

    @Test
    void usersGetAnAuthorizationError() throws Exception {
        TestClient user = connect("bob", "user");
        TestClient noRole = connect("carol", null);
        for (TestClient client : new TestClient[] {user, noRole}) {
            assertThat(error(client, "create_channel", args("room", "ops", "channel", "mine"), "AUTHORIZATION_ERROR")
                    .path("error").asText()).isEqualTo("Command 'create_channel' requires the admin role");
            error(client, "delete_channel", args("room", "science", "channel", "share"), "AUTHORIZATION_ERROR");
            error(client, "history.get", args(), "AUTHORIZATION_ERROR");
        }
        assertThat(server.components().hub().channel(ChannelKey.of("ops", "mine"))).isNull();
    }

    @Test
    void adminsMayReadHistoryAcrossEveryRoom() throws Exception {
        TestClient admin = connect("root", "admin");
        TestClient user = connect("dave", "user");
        user.publish("r-one", "c", Map.of("n", 1));
        user.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);
        user.publish("r-two", "c", Map.of("n", 2));
        user.await(f -> "message_response".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);

        JsonNode data = ok(admin, "history.get", args("limit", 1000));
        assertThat(data.path("room").isNull()).isTrue();
        assertThat(data.path("channel").isNull()).isTrue();
        assertThat(data.path("count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(data.path("entries").get(0).path("envelope").path("payload").path("n").asInt()).isEqualTo(2);
        assertThat(data.path("entries").get(1).path("envelope").path("payload").path("n").asInt()).isEqualTo(1);
        error(admin, "history.get", args("channel", "c"), "VALIDATION_ERROR");

        JsonNode replay = ok(admin, "op.history.replay", args("from_ts", "2020-01-01T00:00:00Z",
                "to_ts", "2100-01-01T00:00:00Z"));
        assertThat(replay.path("count").asInt()).isEqualTo(data.path("count").asInt());
    }
}
