package io.arqonbus.protocol;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;

/** ISO-8601 timestamps as the protocol writes them: UTC, millisecond precision, a {@code Z} suffix. */
public final class Timestamps {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Formats an instant as {@code 2026-11-22T04:05:00.445Z}. */
    public static String format(Instant instant) {
        return UTC_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The current time of this clock, formatted. */
    public static String now(Clock clock) {
        return format(clock.instant());
    }

    /**
     * Parses an ISO-8601 date-time. A value without an offset is taken as UTC (the original's
     * clients send such naive timestamps).
     *
     * @throws DateTimeParseException when the text is not an ISO-8601 date-time
     */
    public static Instant parse(String text) {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text,
                java.time.OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }
}
