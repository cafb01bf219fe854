package io.arqonbus.server.internal.inspect;

import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.Frames;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CASIL end to end (protocol §7, §5 op.casil.*, §9 casil_decision): real clients on a real
 * server with auth on (so that an admin exists). Every test sets the whole policy it needs with
 * {@code op.casil.reload} first, on the same running server.
 */
class CasilOverTheWireTest {
    static final String SECRET = "casil-test-secret-that-is-at-least-32-bytes!";

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final AtomicInteger IDS = new AtomicInteger();

    /** The policy every test starts from: enabled, monitor, nothing else changed from the defaults. */
    private static final String BASE = """
            {"enabled":true,"mode":"monitor","default_decision":"allow","scope_include":[],"scope_exclude":[],
             "max_payload_bytes":262144,"max_inspect_bytes":65536,"max_patterns":32,
             "block_on_probable_secret":false,"redaction_paths":["password","token","secret"],
             "redaction_patterns":[],"transport_redaction":false,"metadata_to_logs":true,
             "metadata_to_telemetry":true,"metadata_to_envelope":false}""";

    static String token(String sub, String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(sub).claim("role", role).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static TestClient connect(String sub, String role) throws Exception {
        return server.connect(Map.of("Authorization", "Bearer " + token(sub, role)));
    }

    static TestClient admin() throws Exception {
        return connect("root", "admin");
    }

    static TestClient user() throws Exception {
        return connect("user-" + IDS.incrementAndGet(), "user");
    }

    static JsonNode reply(TestClient client, String command, String argsJson) throws Exception {
        return client.command(command, TestClient.parse(argsJson)).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sets the whole policy: the base with these changes. */
    static JsonNode policy(String changesJson) throws Exception {
        ObjectNode args = (ObjectNode) TestClient.parse(BASE);
        args.setAll((ObjectNode) TestClient.parse(changesJson));
        JsonNode reply = admin().command("op.casil.reload", args).get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("reload %s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    /** Publishes with a known id; returns the id. */
    static String publish(TestClient client, String room, String channel, ObjectNode payload) {
        String id = "arq_casil_" + IDS.incrementAndGet();
        ObjectNode frame = TestClient.object();
        frame.put("id", id);
        frame.put("type", "message");
        frame.put("room", room);
        frame.put("channel", channel);
        frame.set("payload", payload);
        client.send(frame).join();
        return id;
    }

    static ObjectNode payload(String... pairs) {
        ObjectNode payload = TestClient.object();
        for (int i = 0; i < pairs.length; i += 2) {
            payload.put(pairs[i], pairs[i + 1]);
        }
        return payload;
    }

    static JsonNode delivery(TestClient client) throws Exception {
        return client.await(Frames::isDelivery, T);
    }

    static List<JsonNode> history(TestClient client, String room, String channel) throws Exception {
        JsonNode reply = reply(client, "history", "{\"room\":\"" + room + "\",\"channel\":\"" + channel + "\"}");
        List<JsonNode> entries = new ArrayList<>();
        reply.path("payload").path("data").path("history").forEach(entries::add);
        return entries;
    }

    static double decisions(String decision) {
        Matcher m = Pattern.compile("(?m)^arqonbus_casil_decisions_total\\{decision=\"" + decision + "\"[^}]*} (\\S+)$")
                .matcher(server.components().metrics().scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static TestClient[] joined(String room, String channel, int members) throws Exception {
        TestClient[] clients = new TestClient[members];
        for (int i = 0; i < members; i++) {
            clients[i] = user();
            assertThat(clients[i].joinChannel(room, channel).get(T.toMillis(), TimeUnit.MILLISECONDS)
                    .path("status").asText()).isEqualTo("success");
        }
        return clients;
    }

    @Test
    void enforceBlocksAPlantedAwsKeyAndAPrivateKeyBlock() throws Exception {
        policy("{\"mode\":\"enforce\",\"block_on_probable_secret\":true}");
        TestClient[] c = joined("vault", "blocked", 2);
        TestClient sender = c[0];
        TestClient subscriber = c[1];
        double blockedBefore = decisions("block");

        for (String secret : new String[] {"creds " + Secrets.AWS_ACCESS_KEY, Secrets.PRIVATE_KEY}) {
            String id = publish(sender, "vault", "blocked", payload("text", secret));
            JsonNode error = sender.await(Frames.error("CASIL_POLICY_BLOCKED_SECRET"), T);
            assertThat(error.path("request_id").asText()).isEqualTo(id);
            assertThat(error.path("error").asText()).contains("probable secret");
            assertThat(error.path("payload").path("reason").asText()).isEqualTo("contains_probable_secret");
            assertThat(error.path("payload").path("room").asText()).isEqualTo("vault");
            assertThat(error.path("payload").path("channel").asText()).isEqualTo("blocked");
            assertThat(error.toString()).doesNotContain(Secrets.AWS_ACCESS_KEY);
        }
        assertThat(sender.drain()).as("no legacy ack for a blocked message")
                .noneMatch(type("message_response"));
        // The connection is still usable, and the subscriber's first delivery is the harmless message.
        publish(sender, "vault", "blocked", payload("text", "after"));
        JsonNode first = delivery(subscriber);
        assertThat(first.path("payload").path("text").asText()).isEqualTo("after");
        assertThat(history(subscriber, "vault", "blocked")).extracting(e -> e.path("payload").path("text").asText())
                .containsExactly("after");
        assertThat(decisions("block") - blockedBefore).isEqualTo(2);
        assertThat(server.components().metrics().scrape())
                .containsPattern("arqonbus_errors_total\\{code=\"CASIL_POLICY_BLOCKED_SECRET\"[^}]*} [1-9]");
    }

    @Test
    void enforceWithRedactionRedactsForEveryRecipientAndInHistory() throws Exception {
        policy("""
                {"mode":"enforce","transport_redaction":true,"redaction_paths":["password"],
                 "redaction_patterns":["builtin:aws_access_key","builtin:private_key"],
                 "metadata_to_envelope":true}""");
        TestClient[] c = joined("vault", "redacted", 3);
        ObjectNode secretPayload = payload("text", "id " + Secrets.AWS_ACCESS_KEY + " end", "password", "hunter2",
                "pem", "key:\n" + Secrets.PRIVATE_KEY + "\nthat was it");
        publish(c[0], "vault", "redacted", secretPayload);
        for (TestClient recipient : new TestClient[] {c[1], c[2]}) {
            JsonNode delivered = delivery(recipient);
            assertRedacted(delivered.path("payload"));
            JsonNode casil = delivered.path("metadata").path("casil");
            assertThat(casil.path("decision").asText()).isEqualTo("redact");
            assertThat(casil.path("reason_code").asText()).isEqualTo("CASIL_POLICY_REDACTED");
            assertThat(casil.path("flags").path("contains_probable_secret").asBoolean()).isTrue();
            assertThat(casil.path("flags").path("kinds").toString()).contains("aws_access_key", "private_key");
        }
        JsonNode echo = c[0].await(type("message_response"), T);
        assertThat(echo.toString()).doesNotContain(Secrets.AWS_ACCESS_KEY, "hunter2");
        List<JsonNode> stored = history(c[1], "vault", "redacted");
        assertThat(stored).hasSize(1);
        assertRedacted(stored.get(0).path("payload"));
    }

    private static void assertRedacted(JsonNode payload) {
        assertThat(payload.path("text").asText()).isEqualTo("id ***REDACTED*** end");
        assertThat(payload.path("password").asText()).isEqualTo("***REDACTED***");
        assertThat(payload.path("pem").asText()).isEqualTo("key:\n***REDACTED***\nthat was it");
        assertThat(payload.toString()).doesNotContain("AKIA", "hunter2", "PRIVATE KEY");
    }

    @Test
    void monitorDeliversUnchangedAndReportsACasilDecisionToTelemetry() throws Exception {
        policy("{\"mode\":\"monitor\",\"block_on_probable_secret\":true,\"transport_redaction\":true}");
        RawWebSocket dashboard = raw.connect(server.telemetryUri(), RawWebSocket.Options.defaults());
        dashboard.next(T);
        dashboard.send("{\"type\":\"subscribe\",\"events\":[\"casil_decision\"]}");
        dashboard.await(type("subscribed"), T);
        TestClient[] c = joined("lab", "monitored", 2);
        double flaggedBefore = decisions("allow_with_flags");

        String id = publish(c[0], "lab", "monitored", payload("text", "id " + Secrets.AWS_ACCESS_KEY, "n", "1"));
        JsonNode delivered = delivery(c[1]);
        assertThat(delivered.path("payload").path("text").asText()).isEqualTo("id " + Secrets.AWS_ACCESS_KEY);
        assertThat(delivered.path("metadata").has("casil")).isFalse();

        JsonNode event = dashboard.await(f -> "casil_decision".equals(f.path("event_type").asText()), T);
        JsonNode data = event.path("data");
        assertThat(data.path("decision").asText()).isEqualTo("allow_with_flags");
        assertThat(data.path("reason_code").asText()).isEqualTo("CASIL_MONITOR_MODE");
        assertThat(data.path("mode").asText()).isEqualTo("monitor");
        assertThat(data.path("would_block").asText()).isEqualTo("CASIL_POLICY_BLOCKED_SECRET");
        assertThat(data.path("message_id").asText()).isEqualTo(id);
        assertThat(data.path("client_id").asText()).isEqualTo(c[0].clientId());
        assertThat(data.path("room").asText()).isEqualTo("lab");
        assertThat(data.path("channel").asText()).isEqualTo("monitored");
        assertThat(data.path("flags").path("contains_probable_secret").asBoolean()).isTrue();
        assertThat(data.path("flags").path("kinds").get(0).asText()).isEqualTo("aws_access_key");
        // Observability redaction: the secret never reaches telemetry.
        assertThat(data.path("payload").path("text").asText()).isEqualTo("id ***REDACTED***");
        assertThat(event.toString()).doesNotContain(Secrets.AWS_ACCESS_KEY);
        assertThat(decisions("allow_with_flags") - flaggedBefore).isEqualTo(1);

        // A clean message is inspected but produces no event.
        publish(c[0], "lab", "monitored", payload("text", "plain"));
        delivery(c[1]);
        publish(c[0], "lab", "monitored", payload("text", "password: x"));
        JsonNode next = dashboard.await(f -> "casil_decision".equals(f.path("event_type").asText()), T);
        assertThat(next.path("data").path("flags").path("kinds").toString()).contains("keyword_password");
        assertThat(next.path("data").has("would_block")).isTrue();
    }

    @Test
    void scopeIncludeAndExcludeAreRespected() throws Exception {
        policy("""
                {"mode":"enforce","block_on_probable_secret":true,"scope_include":["secure-*","*:pii"],
                 "scope_exclude":["secure-open:*"]}""");
        ObjectNode secret = payload("text", Secrets.AWS_ACCESS_KEY);
        record Case(String room, String channel, boolean blocked) {
        }
        for (Case k : List.of(new Case("secure-ops", "general", true), new Case("public", "pii", true),
                new Case("secure-open", "general", false), new Case("public", "general", false))) {
            TestClient[] c = joined(k.room(), k.channel(), 2);
            String id = publish(c[0], k.room(), k.channel(), secret);
            if (k.blocked()) {
                JsonNode error = c[0].await(Frames.error("CASIL_POLICY_BLOCKED_SECRET"), T);
                assertThat(error.path("request_id").asText()).as("%s", k).isEqualTo(id);
            } else {
                assertThat(delivery(c[1]).path("payload").path("text").asText()).as("%s", k)
                        .isEqualTo(Secrets.AWS_ACCESS_KEY);
            }
        }
    }

    @Test
    void oversizePayloadsAreBlockedInEnforceModeOnly() throws Exception {
        policy("{\"mode\":\"enforce\",\"max_payload_bytes\":1024}");
        TestClient[] c = joined("bulk", "sized", 2);
        String id = publish(c[0], "bulk", "sized", payload("text", "x".repeat(2000)));
        JsonNode error = c[0].await(Frames.error("CASIL_POLICY_OVERSIZE"), T);
        assertThat(error.path("request_id").asText()).isEqualTo(id);
        assertThat(error.path("payload").path("reason").asText()).isEqualTo("oversize_payload");
        assertThat(error.path("error").asText()).contains("max_payload_bytes (1024 bytes)");
        publish(c[0], "bulk", "sized", payload("text", "x".repeat(900)));
        assertThat(delivery(c[1]).path("payload").path("text").asText()).hasSize(900);

        policy("{\"mode\":\"monitor\",\"max_payload_bytes\":1024}");
        publish(c[0], "bulk", "sized", payload("text", "y".repeat(2000)));
        assertThat(delivery(c[1]).path("payload").path("text").asText()).hasSize(2000);
    }

    @Test
    void aReloadTakesEffectForTheNextMessageWithoutReconnecting() throws Exception {
        policy("{\"mode\":\"monitor\"}");
        TestClient[] c = joined("live", "reload", 2);
        publish(c[0], "live", "reload", payload("text", Secrets.JWT));
        assertThat(delivery(c[1]).path("payload").path("text").asText()).isEqualTo(Secrets.JWT);

        JsonNode snapshot = reply(admin(), "op.casil.reload",
                "{\"mode\":\"enforce\",\"block_on_probable_secret\":true}").path("payload").path("data");
        assertThat(snapshot.path("mode").asText()).isEqualTo("enforce");
        assertThat(snapshot.path("block_on_probable_secret").asBoolean()).isTrue();

        String id = publish(c[0], "live", "reload", payload("text", Secrets.JWT));
        assertThat(c[0].await(Frames.error("CASIL_POLICY_BLOCKED_SECRET"), T).path("request_id").asText())
                .isEqualTo(id);
        reply(admin(), "op.casil.reload", "{\"enabled\":false}");
        publish(c[0], "live", "reload", payload("text", Secrets.JWT + "!"));
        assertThat(delivery(c[1]).path("payload").path("text").asText()).isEqualTo(Secrets.JWT + "!");
    }

    @Test
    void anInvalidReloadIsRefusedAndTheOldPolicyStays() throws Exception {
        JsonNode before = policy("{\"mode\":\"enforce\",\"redaction_patterns\":[\"\\\\d{4}\"]}");
        TestClient admin = admin();
        for (String bad : List.of("{\"mode\":\"strict\"}", "{\"colour\":\"red\"}", "{\"enabled\":\"yes\"}",
                "{\"redaction_patterns\":[\"(unclosed\"]}", "{\"max_patterns\":1,\"redaction_patterns\":[\"a\",\"b\"]}",
                "{\"max_inspect_bytes\":\"big\"}", "{\"mode\":\"monitor\",\"scope_include\":\"ok\",\"max_patterns\":-1}")) {
            JsonNode refused = reply(admin, "op.casil.reload", bad);
            assertThat(refused.path("status").asText()).as(bad).isEqualTo("error");
            assertThat(refused.path("error_code").asText()).as(bad).isEqualTo("VALIDATION_ERROR");
            assertThat(refused.path("error").asText()).as(bad).startsWith("Validation error: ");
        }
        JsonNode after = reply(user(), "op.casil.get", "{}").path("payload").path("data");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void onlyAdminsReloadAndAnyoneReadsThePolicyInItsProtocolShape() throws Exception {
        JsonNode expected = policy("{}");
        TestClient user = user();
        JsonNode refused = reply(user, "op.casil.reload", "{\"enabled\":false}");
        assertThat(refused.path("status").asText()).isEqualTo("error");
        assertThat(refused.path("error_code").asText()).isEqualTo("AUTHORIZATION_ERROR");

        JsonNode got = reply(user, "op.casil.get", "{}");
        assertThat(got.path("status").asText()).isEqualTo("success");
        JsonNode data = got.path("payload").path("data");
        assertThat(data).isEqualTo(expected).isEqualTo(TestClient.parse(BASE));
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("enabled", "mode", "default_decision", "scope_include", "scope_exclude",
                "max_payload_bytes", "max_inspect_bytes", "max_patterns", "block_on_probable_secret",
                "redaction_paths", "redaction_patterns", "transport_redaction", "metadata_to_logs",
                "metadata_to_telemetry", "metadata_to_envelope");
    }

    @Test
    void commandsAreInspectedButReloadItselfIsNot() throws Exception {
        policy("{\"mode\":\"enforce\",\"block_on_probable_secret\":true}");
        // The reload's own arguments mention "secret" and "token"; it is never blocked.
        policy("{\"mode\":\"enforce\",\"block_on_probable_secret\":true,\"redaction_paths\":[\"token\",\"secret\"]}");
        TestClient client = user();
        String id = "arq_casil_cmd_" + IDS.incrementAndGet();
        client.sendText("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"ping\",\"payload\":{\"note\":\""
                + Secrets.GITHUB_TOKEN + "\"}}").join();
        assertThat(client.await(Frames.error("CASIL_POLICY_BLOCKED_SECRET"), T).path("request_id").asText())
                .isEqualTo(id);
        assertThat(reply(client, "ping", "{}").path("status").asText()).isEqualTo("success");
    }
}
