package io.arqonbus.server.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SubscriptionFilter filter(String json) throws Exception {
        return SubscriptionFilter.parse(JSON.readTree(json));
    }

    private static Envelope envelope(String type, String room, String channel, String sender) {
        return Envelope.builder("arq_1", "2026-01-01T00:00:00Z", MessageType.fromWireName(type))
                .room(room).channel(channel.isEmpty() ? null : channel).sender(sender).build();
    }

    @ParameterizedTest(name = "{0} vs {1} {2}:{3} from {4} -> {5}")
    @CsvSource(delimiter = '|', value = {
        "{}                                  | message | ops | alerts-1 | a | true",
        "{}                                  | event   | ops | ''       | a | true",
        "{\"room\":\"ops\"}                  | message | ops | x        | a | true",
        "{\"room\":\"ops\"}                  | message | dev | x        | a | false",
        "{\"channel\":\"alerts-*\"}          | message | ops | alerts-9 | a | true",
        "{\"channel\":\"alerts-*\"}          | message | ops | alert    | a | false",
        "{\"channel\":\"alerts-*\"}          | message | ops | ''       | a | false",
        "{\"channel\":\"a?c\"}               | message | ops | abc      | a | true",
        "{\"channel\":\"a?c\"}               | message | ops | abbc     | a | false",
        "{\"sender\":\"a\"}                  | message | ops | x        | a | true",
        "{\"sender\":\"a\"}                  | message | ops | x        | b | false",
        "{\"types\":[\"event\"]}             | event   | ops | x        | a | true",
        "{\"types\":[\"event\"]}             | message | ops | x        | a | false",
        "{\"types\":[]}                      | message | ops | x        | a | true",
        "{\"room\":\"ops\",\"channel\":\"alerts-*\",\"sender\":\"a\",\"types\":[\"message\",\"event\"]} | event | ops | alerts-1 | a | true",
        "{\"room\":\"ops\",\"channel\":\"alerts-*\",\"sender\":\"a\",\"types\":[\"message\",\"event\"]} | event | ops | alerts-1 | b | false",
        "{\"room\":\"ops\",\"channel\":\"alerts-*\",\"sender\":\"a\",\"types\":[\"message\",\"event\"]} | event | dev | alerts-1 | a | false",
        "{\"room\":null}                     | message | ops | x        | a | true",
    })
    void matchesWhenEveryGivenFieldMatches(String json, String type, String room, String channel, String sender,
            boolean expected) throws Exception {
        assertThat(filter(json).matches(envelope(type, room, channel, sender))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[]                          | must be a JSON object",
        "{\"topic\":\"x\"}           | unknown filter field 'topic'",
        "{\"room\":5}                | 'room' must be a string",
        "{\"room\":\"\"}             | 'room' must be 1 to 256 characters",
        "{\"sender\":\"a b\"}        | must not contain spaces",
        "{\"channel\":\"[ab]\"}      | only * and ? are wildcards",
        "{\"channel\":\"r:c\"}       | only * and ? are wildcards",
        "{\"types\":\"message\"}     | 'types' must be an array of strings",
        "{\"types\":[1]}             | 'types' must be an array of strings",
        "{\"types\":[\"nope\"]}      | unknown type 'nope'",
    })
    void refusesWhatItCannotUse(String json, String message) {
        assertThatThrownBy(() -> filter(json)).isInstanceOf(InvalidFilterException.class).hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void aMissingFilterIsTheEmptyOne() throws Exception {
        assertThat(SubscriptionFilter.parse(null)).isEqualTo(SubscriptionFilter.ALL);
        assertThat(filter("{}").isEmpty()).isTrue();
        assertThat(filter("{\"room\":\"r\"}").isEmpty()).isFalse();
    }
}
