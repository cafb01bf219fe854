package io.arqonbus.protocol;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
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

    /** The last formatted millisecond: many envelopes are stamped within the same one. */
    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private record Formatted(long epochMillis, String text) {
    }

    /** Formats an instant as {@code 2026-11-22T04:05:00.445Z}. */
    public static String format(Instant instant) {
        return formatMillis(instant.toEpochMilli());
    }

    /** The current time of this clock, formatted. */
    public static String now(Clock clock) {
        return formatMillis(clock.millis());
    }

    /** Formats epoch milliseconds as {@code 2026-11-22T04:05:00.445Z} (years 0–9999; others through java.time). */
    public static String formatMillis(long epochMillis) {
        Formatted cached = last;
        if (cached.epochMillis() == epochMillis) {
            return cached.text();
        }
        String text = render(epochMillis);
        last = new Formatted(epochMillis, text);
        return text;
    }

    private static String render(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return UTC_MILLIS.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS));
        }
        byte[] out = new byte[24];
        put(out, 0, year, 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, millisOfDay / 3_600_000, 2);
        out[13] = ':';
        put(out, 14, millisOfDay / 60_000 % 60, 2);
        out[16] = ':';
        put(out, 17, millisOfDay / 1000 % 60, 2);
        out[19] = '.';
        put(out, 20, millisOfDay % 1000, 3);
        out[23] = 'Z';
        return new String(out, StandardCharsets.US_ASCII);
    }

    private static void put(byte[] out, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Whether {@code text} is already in the form {@link #format} writes ({@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'},
     * years 1000–9999, a real date and time of day): then {@code format(parse(text))} is {@code text}
     * itself, and a client's timestamp needs no parsing (TimestampsTest holds the two equal).
     * {@code false} says nothing: the text may still parse.
     */
    public static boolean isCanonical(String text) {
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.'
                || text.charAt(23) != 'Z') {
            return false;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || digits(text, 20, 3) < 0) {
            return false;
        }
        return day <= java.time.Month.of(month).length(java.time.Year.isLeap(year));
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
