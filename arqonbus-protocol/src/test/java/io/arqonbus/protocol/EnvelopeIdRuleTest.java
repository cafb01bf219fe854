package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written check of a client-supplied envelope id accepts and refuses what the documented pattern does. */
class EnvelopeIdRuleTest {
    /** The documented rule (protocol.md: ids), the validator's pattern before the check by hand. */
    private static final Pattern CLIENT_ENVELOPE_ID = Pattern.compile("arq_[A-Za-z0-9_-]{1,124}");

    @Test
    void agreesWithThePatternOnEdgeIds() {
        String[] samples = {"", "arq", "arq_", "arq_1", "ARQ_1", "arq-1", "arq_a-b_C9", "arq_" + "x".repeat(124),
                "arq_" + "x".repeat(125), "arq_" + "x".repeat(123), "xarq_1", "arq_1 ", " arq_1", "arq_\n",
                "arq_é", "arq_😀", "arq_a.b", "arq_a/b", "arq_a\u0000", "arq__", "arq_-", "arq_\u0660",
                "arq_\uff21", "arq_a:b", "arq_@", "arq_[", "arq_`", "arq_{", "arq_/", "arq_:"};
        for (String id : samples) {
            check(id);
        }
    }

    @Test
    void agreesWithThePatternOnRandomIds() {
        SplittableRandom random = new SplittableRandom(18);
        char[] alphabet = {'a', 'z', 'A', 'Z', '0', '9', '_', '-', 'q', 'r', ' ', '.', '/', ':', '@', '[', '`', '{',
                'é', '\u0000', '\u007f', '\ud83d', '\ude00', '\u0660'};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder id = new StringBuilder();
            int prefix = random.nextInt(10);
            if (prefix < 7) {
                id.append("arq_");
            } else if (prefix == 7) {
                id.append("arq");
            }
            int length = random.nextInt(10) == 0 ? random.nextInt(118, 130) : random.nextInt(0, 8);
            for (int j = 0; j < length; j++) {
                id.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (char) random.nextInt(0x20, 0x7f));
            }
            check(id.toString());
        }
    }

    private static void check(String id) {
        assertThat(EnvelopeValidator.isClientEnvelopeId(id)).as("id %s", id)
                .isEqualTo(CLIENT_ENVELOPE_ID.matcher(id).matches());
    }
}
