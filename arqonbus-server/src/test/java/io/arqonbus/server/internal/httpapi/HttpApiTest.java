package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.CloseStatus;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API over real HTTP with API keys configured (auth off): real WebSocket subscribers receive
 * what the API publishes; scopes, tenants, validation and the body limit refuse with the documented codes.
 */
class HttpApiTest {
    static final String ADMIN = "admin-key-0123456789";
    static final String PUBLISHER = "publish-key-0123456789";
    static final String READER = "read-key-0123456789ab";
    static final String ACME = "acme-key-0123456789ab";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxMessageSize(4096)
            .httpApi(h -> h.withMaxBodyBytes(8192).withKeys(List.of(
                    ApiKey.parse("ops:admin=" + ADMIN),
                    ApiKey.parse("billing:publish=sha256:" + java.util.HexFormat.of().formatHex(
                            ApiKey.digestOf(PUBLISHER))),
                    ApiKey.parse("audit:read=" + READER),
                    ApiKey.parse("acme-backend:publish:acme=" + ACME)))));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private final ApiCalls api = new ApiCalls(server);

    private static TestClient subscriber(String room, String channel) throws Exception {
        TestClient client = server.connect();
        client.joinChannel(room, channel).get(T.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    private static JsonNode message(TestClient client, String room, String channel) throws Exception {
        return client.await(f -> f.path("type").asText().equals("message") && f.path("room").asText().equals(room)
                && f.path("channel").asText().equals(channel), T);
    }

    @Test
    void aPublicationReachesWebSocketSubscribersWithItsPosition() throws Exception {
        TestClient sub = subscriber("orders", "new");
        ApiCalls.Answer first = api.post("/api/publish",
                "{\"room\":\"orders\",\"channel\":\"new\",\"payload\":{\"n\":1}}", PUBLISHER);
        assertThat(first.status()).isEqualTo(200);
        ApiCalls.Answer second = api.post("/api/publish",
                "{\"room\":\"orders\",\"channel\":\"new\",\"payload\":{\"n\":2},\"type\":\"event\"}", PUBLISHER);
        assertThat(second.json().path("offset").asLong()).isEqualTo(first.json().path("offset").asLong() + 1);
        assertThat(second.json().path("epoch").asText()).isEqualTo(first.json().path("epoch").asText()).isNotEmpty();

        JsonNode got = message(sub, "orders", "new");
        assertThat(got.path("payload").path("n").asInt()).isEqualTo(1);
        assertThat(got.path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(got.path("sender").asText()).isEqualTo("http:billing");
        JsonNode event = sub.await(f -> f.path("type").asText().equals("event"), T);
        assertThat(event.path("payload").path("n").asInt()).isEqualTo(2);
    }

    @Test
    void aDurablePublicationIsStoredAndReadBackThroughHistory() throws Exception {
        ApiCalls.Answer stored = api.post("/api/publish",
                "{\"room\":\"ledger\",\"channel\":\"tx\",\"payload\":{\"amount\":7},\"durable\":true}", PUBLISHER);
        assertThat(stored.status()).isEqualTo(200);
        ApiCalls.Answer history = api.get("/api/history?room=ledger&channel=tx&limit=10", READER);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().path("count").asInt()).isEqualTo(1);
        assertThat(history.json().path("history").get(0).path("payload").path("amount").asInt()).isEqualTo(7);
        assertThat(history.json().path("history").get(0).path("metadata").path("offset").asLong())
                .isEqualTo(stored.json().path("offset").asLong());
    }

    @Test
    void anIdempotencyKeyPublishesOnce() throws Exception {
        TestClient sub = subscriber("pay", "once");
        String body = "{\"room\":\"pay\",\"channel\":\"once\",\"payload\":{\"x\":1},\"idempotency_key\":\"k-1\"}";
        ApiCalls.Answer first = api.post("/api/publish", body, PUBLISHER);
        ApiCalls.Answer again = api.post("/api/publish", body, PUBLISHER);
        assertThat(first.json().path("duplicate").asBoolean()).isFalse();
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("offset").asLong()).isEqualTo(first.json().path("offset").asLong());
        message(sub, "pay", "once");
        assertThat(sub.poll(Duration.ofMillis(200))).isNull();
    }

    @Test
    void aBroadcastPublishesToEachChannelWithAResultEach() throws Exception {
        TestClient a = subscriber("fleet", "a");
        TestClient b = subscriber("fleet", "b");
        ApiCalls.Answer answer = api.post("/api/broadcast",
                "{\"room\":\"fleet\",\"channels\":[\"a\",\"b\",\"pm\"],\"payload\":{\"go\":true}}", PUBLISHER);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().path("results");
        assertThat(results.findValuesAsText("channel")).containsExactly("a", "b", "pm");
        assertThat(results.get(0).has("offset")).isTrue();
        assertThat(results.get(2).path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(message(a, "fleet", "a").path("payload").path("go").asBoolean()).isTrue();
        assertThat(message(b, "fleet", "b").path("payload").path("go").asBoolean()).isTrue();
    }

    @Test
    void sendDeliversAPrivateMessageAndNamesWhoWasMissing() throws Exception {
        TestClient target = server.connect();
        ApiCalls.Answer answer = api.post("/api/send", "{\"to\":[\"" + target.clientId()
                + "\",\"nobody-here\"],\"payload\":{\"hi\":1}}", PUBLISHER);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("delivered").get(0).asText()).isEqualTo(target.clientId());
        assertThat(answer.json().path("missing").get(0).asText()).isEqualTo("nobody-here");
        JsonNode got = target.await(f -> f.path("type").asText().equals("private"), T);
        assertThat(got.path("payload").path("hi").asInt()).isEqualTo(1);
        assertThat(got.path("sender").asText()).isEqualTo("http:billing");

        ApiCalls.Answer none = api.post("/api/send", "{\"to\":[\"nobody-here\"],\"payload\":{}}", PUBLISHER);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void noCredentialIs401AndAnUnknownKeyToo() throws Exception {
        ApiCalls.Answer missing = api.get("/api/channels", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.code()).isEqualTo("UNAUTHORIZED");
        assertThat(missing.raw().headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"arqonbus\"");
        ApiCalls.Answer wrong = api.get("/api/channels", "not-a-key-at-all-123");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.message()).contains("no such API key");
    }

    @Test
    void aSmallScopeIs403() throws Exception {
        ApiCalls.Answer read = api.post("/api/publish", "{\"room\":\"r\",\"channel\":\"c\"}", READER);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.code()).isEqualTo("AUTHORIZATION_ERROR");
        assertThat(read.message()).contains("needs scope 'publish'");
        ApiCalls.Answer disconnect = api.post("/api/disconnect", "{\"client_id\":\"x\"}", PUBLISHER);
        assertThat(disconnect.status()).isEqualTo(403);
        assertThat(api.get("/api/channels", READER).status()).isEqualTo(200);
    }

    @Test
    void aPrivateChannelAdmitsTheKeysItLists() throws Exception {
        assertThat(api.post("/api/channels", "{\"room\":\"vip\",\"channel\":\"billing\",\"private\":true,"
                + "\"members\":[\"http:billing\"]}", ADMIN).status()).isEqualTo(201);
        assertThat(api.post("/api/publish", "{\"room\":\"vip\",\"channel\":\"billing\"}", PUBLISHER).status())
                .isEqualTo(200);
        assertThat(api.post("/api/publish", "{\"room\":\"vip\",\"channel\":\"billing\"}", READER).status())
                .isEqualTo(403);
    }

    @Test
    void aTenantKeyNeverReachesAnotherTenantsRooms() throws Exception {
        TestClient own = subscriber("acme-orders", "new");
        subscriber("globex-orders", "new");
        assertThat(api.post("/api/publish", "{\"room\":\"acme-orders\",\"channel\":\"new\",\"payload\":{}}", ACME)
                .status()).isEqualTo(200);
        message(own, "acme-orders", "new");
        ApiCalls.Answer other = api.post("/api/publish",
                "{\"room\":\"globex-orders\",\"channel\":\"new\",\"payload\":{}}", ACME);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.message()).contains("another tenant");
        assertThat(api.get("/api/history?room=globex-orders", ACME).status()).isEqualTo(403);
        assertThat(api.get("/api/presence?room=globex-orders", ACME).status()).isEqualTo(403);
        assertThat(api.get("/api/info", ACME).status()).isEqualTo(403);
        JsonNode channels = api.get("/api/channels", ACME).json().path("channels");
        assertThat(channels.findValuesAsText("room")).isNotEmpty().allMatch(room -> room.startsWith("acme"));
        // Clients without the tenant are not the tenant key's to reach.
        ApiCalls.Answer send = api.post("/api/send", "{\"to\":[\"" + own.clientId() + "\"],\"payload\":{}}", ACME);
        assertThat(send.status()).isEqualTo(404);
        assertThat(api.post("/api/disconnect", "{\"client_id\":\"" + own.clientId() + "\"}", ADMIN).status())
                .isEqualTo(200);
    }

    @Test
    void validationErrorsUseTheProtocolsCodes() throws Exception {
        ApiCalls.Answer noRoom = api.post("/api/publish", "{\"channel\":\"c\"}", PUBLISHER);
        assertThat(noRoom.status()).isEqualTo(400);
        assertThat(noRoom.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(noRoom.message()).isEqualTo("Validation error: 'room' is required");
        ApiCalls.Answer badName = api.post("/api/publish", "{\"room\":\"a b\",\"channel\":\"c\"}", PUBLISHER);
        assertThat(badName.code()).isEqualTo("VALIDATION_ERROR");
        ApiCalls.Answer notJson = api.post("/api/publish", "{\"room\":", PUBLISHER);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.code()).isEqualTo("INVALID_JSON");
        ApiCalls.Answer payload = api.post("/api/publish", "{\"room\":\"r\",\"channel\":\"c\",\"payload\":[1]}",
                PUBLISHER);
        assertThat(payload.code()).isEqualTo("VALIDATION_ERROR");
        ApiCalls.Answer key = api.post("/api/publish", "{\"room\":\"r\",\"channel\":\"c\",\"idempotency_key\":\""
                + "k".repeat(129) + "\"}", PUBLISHER);
        assertThat(key.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(key.json().path("error").path("details").get(0).asText()).contains("idempotency_key");
        ApiCalls.Answer type = api.post("/api/publish", "{\"room\":\"r\",\"channel\":\"c\",\"type\":\"command\"}",
                PUBLISHER);
        assertThat(type.code()).isEqualTo("VALIDATION_ERROR");
        ApiCalls.Answer route = api.get("/api/nothing", PUBLISHER);
        assertThat(route.status()).isEqualTo(404);
        ApiCalls.Answer method = api.send("PUT", "/api/publish", "{}", PUBLISHER);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.raw().headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void theBodyAndTheEnvelopeAreBounded() throws Exception {
        String big = "x".repeat(5000);
        ApiCalls.Answer envelope = api.post("/api/publish",
                "{\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"t\":\"" + big + "\"}}", PUBLISHER);
        assertThat(envelope.status()).isEqualTo(413);
        assertThat(envelope.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        ApiCalls.Answer body = api.post("/api/publish",
                "{\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"t\":\"" + big + big + "\"}}", PUBLISHER);
        assertThat(body.status()).isEqualTo(413);
        assertThat(body.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        // The port still answers.
        assertThat(api.get("/api/channels", READER).status()).isEqualTo(200);
    }

    @Test
    void channelsPresenceAndInfoShowWhatADashboardNeeds() throws Exception {
        TestClient one = subscriber("dash", "live");
        subscriber("dash", "live");
        api.post("/api/publish", "{\"room\":\"dash\",\"channel\":\"live\",\"payload\":{}}", PUBLISHER);
        JsonNode channels = api.get("/api/channels?room=dash", READER).json();
        assertThat(channels.path("count").asInt()).isEqualTo(1);
        JsonNode live = channels.path("channels").get(0);
        assertThat(live.path("members").asInt()).isEqualTo(2);
        assertThat(live.path("last_offset").asLong()).isEqualTo(1);
        assertThat(live.has("rate_per_second")).isTrue();

        JsonNode presence = api.get("/api/presence?room=dash&channel=live", READER).json();
        assertThat(presence.path("clients").findValuesAsText("client_id")).contains(one.clientId());

        JsonNode info = api.get("/api/info", READER).json();
        JsonNode status = new ApiCalls(server).get("/status", null).json();
        assertThat(info.path("nodes").get(0).path("connections").path("active").asInt())
                .isEqualTo(status.path("connections").path("active").asInt());
        assertThat(info.path("nodes").get(0).path("version").asText()).isEqualTo(status.path("version").asText());
    }

    @Test
    void anAdminDisconnectsAClientAndManagesChannels() throws Exception {
        TestClient victim = server.connect();
        ApiCalls.Answer answer = api.post("/api/disconnect", "{\"client_id\":\"" + victim.clientId()
                + "\",\"reason\":\"maintenance\"}", ADMIN);
        assertThat(answer.status()).isEqualTo(200);
        CloseStatus closed = victim.closeFuture().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(closed.code()).isEqualTo(4005);
        assertThat(closed.reason()).isEqualTo("maintenance");
        assertThat(api.post("/api/disconnect", "{\"client_id\":\"gone\"}", ADMIN).status()).isEqualTo(404);
        assertThat(api.post("/api/disconnect", "{\"client_id\":\"x\",\"code\":1000}", ADMIN).code())
                .isEqualTo("VALIDATION_ERROR");

        assertThat(api.post("/api/channels", "{\"room\":\"adm\",\"channel\":\"made\"}", ADMIN).status())
                .isEqualTo(201);
        assertThat(api.post("/api/channels", "{\"room\":\"adm\",\"channel\":\"made\"}", ADMIN).status())
                .isEqualTo(409);
        assertThat(api.send("DELETE", "/api/channels?room=adm&channel=made", null, ADMIN).status()).isEqualTo(200);
        await().atMost(T).until(() -> api.get("/api/channels?room=adm", READER).json().path("count").asInt() == 0);
        assertThat(api.send("DELETE", "/api/channels?room=adm&channel=made", null, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void aPrivateChannelTakesApiPublicationsFromAdminsOnly() throws Exception {
        assertThat(api.post("/api/channels", "{\"room\":\"vip\",\"channel\":\"board\",\"private\":true,"
                + "\"members\":[\"someone\"]}", ADMIN).status()).isEqualTo(201);
        ApiCalls.Answer refused = api.post("/api/publish", "{\"room\":\"vip\",\"channel\":\"board\"}", PUBLISHER);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("Channel vip:board is private: only its members may publish to it");
        assertThat(api.get("/api/history?room=vip&channel=board", READER).status()).isEqualTo(403);
        assertThat(api.post("/api/publish", "{\"room\":\"vip\",\"channel\":\"board\"}", ADMIN).status())
                .isEqualTo(200);
        assertThat(api.get("/api/history?room=vip&channel=board", ADMIN).json().path("count").asInt()).isEqualTo(1);
        assertThat(api.send("HEAD", "/api/channels", null, READER).status()).isEqualTo(200);
    }
}
