package io.arqonbus.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original's clients expect a command's arguments to be checked before anything is looked up:
 * a bad argument about something that does not exist is {@code VALIDATION_ERROR}, never
 * {@code NOT_FOUND}. Each case names something unknown <em>and</em> carries a bad argument; the
 * same command with the argument fixed answers {@code NOT_FOUND} (so the case does test the order).
 */
class ValidationBeforeLookupTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("history", "{\"room\":\"nowhere\",\"limit\":0}", "{\"room\":\"nowhere\",\"limit\":1}"),
                Arguments.of("history", "{\"room\":\"nowhere\",\"channel\":\"c\",\"reverse\":\"yes\"}",
                        "{\"room\":\"nowhere\",\"channel\":\"c\",\"reverse\":true}"),
                Arguments.of("history", "{\"room\":\"nowhere\",\"since\":-1}", "{\"room\":\"nowhere\"}"),
                Arguments.of("history", "{\"room\":\"nowhere\",\"since\":3}", "{\"room\":\"nowhere\",\"channel\":\"c\","
                        + "\"since\":3}"),
                Arguments.of("history.get", "{\"room\":\"nowhere\",\"limit\":0}", "{\"room\":\"nowhere\",\"limit\":1}"),
                Arguments.of("history.get", "{\"room\":\"nowhere\",\"since\":\"not a time\"}", "{\"room\":\"nowhere\"}"),
                Arguments.of("history.get", "{\"room\":\"nowhere\",\"since\":\"2025-01-02T00:00:00Z\","
                        + "\"until\":\"2025-01-01T00:00:00Z\"}", "{\"room\":\"nowhere\"}"),
                Arguments.of("op.history.get", "{\"room\":\"nowhere\",\"channel\":\"c\",\"limit\":-5}",
                        "{\"room\":\"nowhere\",\"channel\":\"c\"}"),
                Arguments.of("history.replay", "{\"room\":\"nowhere\",\"from_ts\":\"2025-01-01T00:00:00Z\","
                        + "\"to_ts\":\"2025-01-02T00:00:00Z\",\"limit\":0}",
                        "{\"room\":\"nowhere\",\"from_ts\":\"2025-01-01T00:00:00Z\",\"to_ts\":\"2025-01-02T00:00:00Z\"}"),
                Arguments.of("history.replay", "{\"room\":\"nowhere\",\"from_ts\":\"2025-01-01T00:00:00Z\","
                        + "\"to_ts\":\"2025-01-02T00:00:00Z\",\"strict_sequence\":\"no\"}",
                        "{\"room\":\"nowhere\",\"from_ts\":\"2025-01-01T00:00:00Z\",\"to_ts\":\"2025-01-02T00:00:00Z\"}"),
                Arguments.of("typing", "{\"room\":\"nowhere\",\"channel\":\"c\",\"state\":\"maybe\"}",
                        "{\"room\":\"nowhere\",\"channel\":\"c\",\"state\":\"start\"}"),
                Arguments.of("op.webhook.unregister", "{\"rule_id\":7}", "{\"rule_id\":\"wh_000000000000\"}"),
                Arguments.of("op.cron.cancel", "{\"job_id\":\"" + "j".repeat(65) + "\"}", "{\"job_id\":\"nope\"}"),
                Arguments.of("unsubscribe", "{\"subscriber_id\":7}", "{\"subscriber_id\":\"nope\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aBadArgumentIsAValidationErrorEvenForSomethingUnknown(String command, String bad, String good)
            throws Exception {
        TestClient client = server.connect();
        assertThat(code(client, command, bad)).isEqualTo("VALIDATION_ERROR");
        assertThat(code(client, command, good)).isEqualTo("NOT_FOUND");
    }

    private static String code(TestClient client, String command, String args) throws Exception {
        JsonNode reply = client.command(command, TestClient.parse(args))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply.path("status").asText()).as("%s %s → %s", command, args, reply).isEqualTo("error");
        return reply.path("error_code").asText();
    }
}
