package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written room/channel name check agrees with the documented patterns. */
class NameRuleTest {
    /** The documented rules as patterns (the validator used them before checking by hand). */
    private static final Pattern ROOM_NAME = Pattern.compile("[^\\s:\\p{Cntrl}]{1,128}");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");

    @Test
    void agreesWithThePatternsOnRandomAndEdgeNames() {
        String[] samples = {"science", "explore", "a:b", "", " ", "tab\there", "x".repeat(128), "x".repeat(129),
                "ünïcode", "\u007f", "\u0000", "emoji😀", "😀".repeat(128), "😀".repeat(129), "line\nbreak", "-_.~"};
        for (String name : samples) {
            check(name);
        }
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'a', 'Z', '0', ':', ' ', '\t', '\u007f', '\u0001', 'é', '\u2028', '\u00a0', '-'};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(0, 6);
            for (int j = 0; j < length; j++) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            check(name.toString());
        }
    }

    private static void check(String name) {
        assertThat(EnvelopeValidator.isName(name, true))
                .as("room %s", name).isEqualTo(ROOM_NAME.matcher(name).matches());
        assertThat(EnvelopeValidator.isName(name, false))
                .as("channel %s", name).isEqualTo(CHANNEL_NAME.matcher(name).matches());
    }
}
