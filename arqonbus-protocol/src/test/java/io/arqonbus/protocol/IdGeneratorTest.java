package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {
    private static final Pattern ID = Pattern.compile("arq_(\\d+)_(\\d+)_([0-9a-f]{6})");

    @Test
    void envelopeIdsKeepTheirFormatAndCountUp() {
        IdGenerator ids = new IdGenerator();
        Set<String> seen = new HashSet<>();
        String prefix = null;
        for (long expected = 1; expected <= 12_345; expected++) {
            String id = ids.nextId();
            Matcher m = ID.matcher(id);
            assertThat(m.matches()).as(id).isTrue();
            assertThat(Long.parseLong(m.group(2))).isEqualTo(expected);
            prefix = prefix == null ? m.group(1) : prefix;
            assertThat(m.group(1)).isEqualTo(prefix);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void clientIdsAndTokensKeepTheirFormat() {
        IdGenerator ids = new IdGenerator();
        assertThat(ids.nextClientId()).matches("arq_client_[0-9a-f]{32}");
        assertThat(ids.nextToken("sub_", 20)).matches("sub_[0-9a-f]{20}");
    }
}
