package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Over a real WebSocket: a frame the JSON parser refuses for one of its limits (nesting, number
 * length) or for its syntax gets an {@code INVALID_JSON} error frame whose sentence is ours — what
 * is wrong, and where — and not the parser's message, which names parser classes and settings.
 */
class InvalidJsonSentenceTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension();
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "deeply nested | NESTED | Invalid JSON: objects and arrays are nested more than 1000 levels deep",
            "long number | NUMBER | Invalid JSON: a number is longer than 1000 characters",
            "syntax | {\"type\":\"message\" \"room\":\"r\"} | Invalid JSON: unexpected character '\"' at line 1, column 19",
            "trailing | {\"type\":\"message\"} [] | Invalid JSON: something follows the JSON object at line 1, column 20; send one JSON object per frame",
            "not JSON | {\"type\":NaN} | Invalid JSON: a value that is not JSON at line 1, column 12 (a value is a string in double quotes, a number, an object, an array, true, false or null)"})
    void theErrorFrameSaysWhatIsWrongInItsOwnWords(String name, String frame, String sentence) throws Exception {
        String text = switch (frame) {
            case "NESTED" -> "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"a\":"
                    + "[".repeat(1500) + "]".repeat(1500) + "}}";
            case "NUMBER" -> "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"n\":"
                    + "7".repeat(5000) + "}}";
            default -> frame;
        };
        RawWebSocket ws = raw.connectWelcomed();
        ws.send(text);
        JsonNode error = ws.next(T);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error_code").asText()).isEqualTo("INVALID_JSON");
        assertThat(error.path("error").asText()).isEqualTo(sentence);
        assertThat(error.path("payload").path("errors").get(0).asText()).isEqualTo(sentence);
        assertThat(error.toString()).doesNotContain("StreamReadConstraints").doesNotContain("Jackson")
                .doesNotContain("jackson").doesNotContain("`");
        ws.send("{\"id\":\"arq_after\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo("arq_after"), T).path("status").asText()).isEqualTo("success");
    }
}
