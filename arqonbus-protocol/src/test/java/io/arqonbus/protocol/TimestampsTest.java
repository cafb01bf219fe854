package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsLikeTheIsoPatternAcrossTheYears() {
        SplittableRandom random = new SplittableRandom(42);
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(0, max);
            assertThat(Timestamps.formatMillis(millis)).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
        }
    }

    @Test
    void formatsEdgesAndTimesBeforeTheEpoch() {
        for (String text : new String[] {"1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
                "2000-02-29T12:00:00.001Z", "2026-11-22T04:05:00.445Z", "0001-01-01T00:00:00.000Z"}) {
            assertThat(Timestamps.formatMillis(Instant.parse(text).toEpochMilli())).isEqualTo(text);
        }
    }

    @Test
    void theSameMillisecondTwiceGivesTheSameTextAndANewOneANewText() {
        long now = Instant.parse("2026-12-01T06:00:00.123Z").toEpochMilli();
        assertThat(Timestamps.formatMillis(now)).isEqualTo("2026-12-01T06:00:00.123Z");
        assertThat(Timestamps.formatMillis(now)).isEqualTo("2026-12-01T06:00:00.123Z");
        assertThat(Timestamps.formatMillis(now + 1)).isEqualTo("2026-12-01T06:00:00.124Z");
    }
}
