package io.arqonbus.server.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChannelMessagingTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void welcomeCarriesAnArqClientId() {
        TestClient client = server.connect();
        JsonNode welcome = client.welcome();
        assertThat(welcome.path("type").asText()).isEqualTo("message");
        assertThat(welcome.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(welcome.path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
        assertThat(client.clientId()).matches("arq_client_[0-9a-f]{32}");
        assertThat(welcome.path("id").asText()).startsWith("arq_");
        assertThat(welcome.path("timestamp").asText()).endsWith("Z");
        assertThat(welcome.path("version").asText()).isEqualTo("1.0");
    }

    @Test
    void publicationReachesEveryOtherMemberOnceAndNotTheSender() throws Exception {
        TestClient a = server.connect();
        TestClient b = server.connect();
        TestClient outsider = server.connect();
        assertThat(a.joinChannel("lab", "fanout").get().path("status").asText()).isEqualTo("success");
        JsonNode joinB = b.joinChannel("lab", "fanout").get();
        assertThat(joinB.path("payload").path("data").path("member_count").asInt()).isEqualTo(2);

        a.publish("lab", "fanout", Map.of("text", "hello"));

        JsonNode delivered = b.await(f -> "message".equals(f.path("type").asText())
                && "lab".equals(f.path("room").asText()), T);
        assertThat(delivered.path("payload").path("text").asText()).isEqualTo("hello");
        assertThat(delivered.path("sender").asText()).isEqualTo(a.clientId());
        assertThat(delivered.path("metadata").path("offset").asLong()).isEqualTo(1);
        JsonNode ack = a.await(f -> "message_response".equals(f.path("type").asText()), T);
        assertThat(ack.path("payload").path("text").asText()).isEqualTo("hello");
        assertThat(ack.path("payload")).isEqualTo(delivered.path("payload"));
        assertThat(ack.path("request_id").asText()).isEqualTo(delivered.path("id").asText());

        // A second publication proves ordering and that the sender never receives its own message.
        a.publish("lab", "fanout", Map.of("text", "second"));
        JsonNode second = b.await(f -> "message".equals(f.path("type").asText()), T);
        assertThat(second.path("payload").path("text").asText()).isEqualTo("second");
        a.await(f -> "message_response".equals(f.path("type").asText()), T);
        assertThat(a.drain()).noneMatch(f -> "message".equals(f.path("type").asText()));
        assertThat(outsider.drain()).noneMatch(f -> "lab".equals(f.path("room").asText()));
    }
}
