package io.arqonbus.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ?welcome=recent}, {@code ?recent=N}, {@code GET /events/recent} and {@code GET /events/stats}
 * with auth off: the frame right after the welcome, newest last, bad values answered with a coded
 * error while the connection stays usable. Each test publishes into its own room and filters on it.
 */
class RecentEventsOverTheWireTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.recentEventsSize(30));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestClient connect(String query) {
        return TestClient.connect(server.wsUri("/" + query)).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Publishes n messages from a client and waits until the host saw them all (its own ack). */
    private static void publishFromClient(TestClient client, String room, int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            client.publish(room, "feed", Map.of("n", i));
        }
        for (int i = 1; i <= n; i++) {
            client.await(f -> "message_response".equals(f.path("type").asText()), T);
        }
    }

    private static JsonNode get(String pathAndQuery, int expectedStatus) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.httpUri(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return TestClient.parse(response.body());
    }

    @Test
    void welcomeRecentSendsTheLastPublicationsRightAfterTheWelcomeNewestLast() throws Exception {
        TestClient publisher = server.connect();
        publishFromClient(publisher, "recent-a", 3);
        server.bus().publish("recent-a", "feed", Map.of("n", 4));

        try (TestClient reader = connect("?welcome=recent")) {
            JsonNode frame = reader.next(T);
            assertThat(frame.path("type").asText()).isEqualTo("system");
            assertThat(frame.path("sender").asText()).isEqualTo("arqonbus");
            assertThat(frame.path("payload").path("event").asText()).isEqualTo("recent_events");
            JsonNode events = frame.path("payload").path("events");
            assertThat(frame.path("payload").path("count").asInt()).isEqualTo(events.size());
            assertThat(events.size()).isBetween(4, RecentEvents.DEFAULT_COUNT);
            List<JsonNode> mine = stream(events).filter(e -> "recent-a".equals(e.path("room").asText())).toList();
            assertThat(mine).extracting(e -> e.path("payload").path("n").asInt()).containsExactly(1, 2, 3, 4);
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("sender").asText()).isEqualTo("arqonbus");
            assertThat(last.path("metadata").path("offset").asLong()).isEqualTo(4);
            assertThat(mine.get(0).path("sender").asText()).isEqualTo(publisher.clientId());
        }
    }

    @Test
    void recentNLimitsTheList() throws Exception {
        TestClient publisher = server.connect();
        publishFromClient(publisher, "recent-b", 5);
        try (TestClient reader = connect("?recent=2")) {
            JsonNode events = reader.next(T).path("payload").path("events");
            assertThat(events).hasSize(2);
            assertThat(events.get(0).path("payload").path("n").asInt()).isEqualTo(4);
            assertThat(events.get(1).path("payload").path("n").asInt()).isEqualTo(5);
        }
    }

    @Test
    void theListStopsAtAMebibyteKeepingTheNewest() throws Exception {
        String big = "x".repeat(400 * 1024);
        for (int n = 1; n <= 3; n++) {
            server.bus().publish("recent-big", "feed", Map.of("n", n, "blob", big));
        }
        try (TestClient reader = connect("?recent=3")) {
            JsonNode payload = reader.next(T).path("payload");
            assertThat(payload.path("truncated").asBoolean()).isTrue();
            assertThat(payload.path("count").asInt()).isEqualTo(2);
            assertThat(payload.path("events")).extracting(e -> e.path("payload").path("n").asInt())
                    .containsExactly(2, 3);
            // The connection is fine after the large frame.
            assertThat(reader.command("ping", null).get(10, TimeUnit.SECONDS).path("status").asText())
                    .isEqualTo("success");
        }
        JsonNode overHttp = get("/events/recent?count=3", 200);
        assertThat(overHttp.path("truncated").asBoolean()).isTrue();
        assertThat(overHttp.path("count").asInt()).isEqualTo(2);
    }

    @Test
    void noWelcomeOptionMeansNoExtraFrame() throws Exception {
        server.bus().publish("recent-c", "feed", Map.of("n", 1));
        try (TestClient reader = connect("")) {
            JsonNode pong = reader.command("ping", null).get(10, TimeUnit.SECONDS);
            assertThat(pong.path("status").asText()).isEqualTo("success");
            assertThat(reader.drain()).noneMatch(f -> "recent_events".equals(f.path("payload").path("event").asText()));
        }
    }

    @Test
    void badValuesGetAValidationErrorAndTheConnectionStaysUsable() throws Exception {
        for (String query : List.of("?recent=0", "?recent=31", "?recent=abc", "?welcome=everything")) {
            try (TestClient reader = connect(query)) {
                JsonNode error = reader.next(T);
                assertThat(error.path("type").asText()).as(query).isEqualTo("error");
                assertThat(error.path("error_code").asText()).as(query).isEqualTo("VALIDATION_ERROR");
                assertThat(error.path("error").asText()).as(query).contains(query.contains("welcome")
                        ? "Unknown welcome option 'everything'" : "'recent' must be an integer from 1 to 30");
                JsonNode pong = reader.command("ping", null).get(10, TimeUnit.SECONDS);
                assertThat(pong.path("status").asText()).isEqualTo("success");
            }
        }
    }

    @Test
    void httpRecentReturnsTheSameListShapeNewestLast() throws Exception {
        TestClient publisher = server.connect();
        publishFromClient(publisher, "recent-d", 3);
        JsonNode body = get("/events/recent?count=3", 200);
        assertThat(body.path("count").asInt()).isEqualTo(3);
        assertThat(body.path("events")).hasSize(3);
        assertThat(stream(body.path("events")).map(e -> e.path("payload").path("n").asInt()).toList())
                .containsExactly(1, 2, 3);
        assertThat(body.path("events").get(0).path("room").asText()).isEqualTo("recent-d");

        JsonNode byDefault = get("/events/recent", 200);
        assertThat(byDefault.path("count").asInt()).isEqualTo(byDefault.path("events").size()).isLessThanOrEqualTo(20);
        JsonNode bad = get("/events/recent?count=31", 400);
        assertThat(bad.path("error").asText()).isEqualTo("Bad Request");
        assertThat(bad.path("details").asText()).startsWith("'count' must be an integer from 1 to 30");
    }

    @Test
    void httpStatsCountsTheBus() throws Exception {
        TestClient publisher = server.connect();
        publishFromClient(publisher, "recent-e", 1);
        JsonNode stats = get("/events/stats", 200);
        assertThat(stats.path("subscribers").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("in_process_subscribers").asInt()).isZero();
        assertThat(stats.path("history_size").asInt()).isBetween(1, 30);
        assertThat(stats.path("history_capacity").asInt()).isEqualTo(30);
        assertThat(stats.path("rooms").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(stats.path("channels").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(stats.path("messages_total").asLong()).isGreaterThanOrEqualTo(1);
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

}
