package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A timestamp the validator takes as it is ({@link Timestamps#isCanonical}) is one that parsing and
 * formatting would have given back unchanged, so skipping them changes no envelope and no refusal.
 */
class CanonicalTimestampTest {
    @Test
    void edgeTimestamps() {
        String[] samples = {"2026-12-06T15:00:00.123Z", "2000-02-29T23:59:59.999Z", "1900-02-29T00:00:00.000Z",
                "2001-02-29T00:00:00.000Z", "2024-04-31T00:00:00.000Z", "2024-13-01T00:00:00.000Z",
                "2024-00-10T00:00:00.000Z", "2024-01-00T00:00:00.000Z", "2024-01-01T24:00:00.000Z",
                "2024-01-01T23:60:00.000Z", "2024-01-01T23:59:60.000Z", "0999-01-01T00:00:00.000Z",
                "1000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2024-01-01T00:00:00.00Z",
                "2024-01-01T00:00:00.0000Z", "2024-01-01T00:00:00.000z", "2024-01-01 00:00:00.000Z",
                "2024-01-01T00:00:00.000+00:00", "2024-01-01T00:00:00Z", "+2024-01-01T00:00:00.000Z",
                "2024-1-01T00:00:00.000Z", "2024-01-01T00:00:00.0a0Z", "2024-01-01T00:00:00.000",
                "\u0662024-01-01T00:00:00.000Z", ""};
        for (String text : samples) {
            check(text);
        }
    }

    @Test
    void generatedTimestamps() {
        SplittableRandom random = new SplittableRandom(25);
        char[] noise = {'0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 'Z', 'x', ' ', '+'};
        int canonical = 0;
        for (int i = 0; i < 50_000; i++) {
            char[] text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", random.nextInt(900, 10_000),
                    random.nextInt(0, 14), random.nextInt(0, 33), random.nextInt(0, 26), random.nextInt(0, 62),
                    random.nextInt(0, 62), random.nextInt(0, 1000)).toCharArray();
            if (random.nextInt(4) == 0) {
                text[random.nextInt(text.length)] = noise[random.nextInt(noise.length)];
            }
            canonical += check(new String(text)) ? 1 : 0;
        }
        assertThat(canonical).as("the generator reaches both sides").isBetween(1_000, 49_000);
    }

    private static boolean check(String text) {
        String normalised;
        try {
            normalised = Timestamps.format(Timestamps.parse(text));
        } catch (DateTimeParseException e) {
            normalised = null;
        }
        boolean canonical = Timestamps.isCanonical(text);
        if (canonical) {
            assertThat(normalised).as(text).isEqualTo(text);
        } else if (text.length() == 24 && text.endsWith("Z") && text.equals(normalised)
                && text.charAt(0) >= '1') {
            // A text that is its own normal form from year 1000 on must be taken as it is.
            assertThat(canonical).as(text).isTrue();
        }
        return canonical;
    }
}
