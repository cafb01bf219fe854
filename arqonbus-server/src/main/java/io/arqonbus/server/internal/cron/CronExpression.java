package io.arqonbus.server.internal.cron;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression, evaluated in UTC, parsed by cron-utils: five fields as in Unix crontab
 * ({@code minute hour day-of-month month day-of-week}) or six with a leading {@code second}
 * (Spring's form, e.g. <code>*&#47;5 * * * * *</code>, every five seconds). Immutable and thread-safe.
 */
public final class CronExpression {
    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 256;
    private static final List<String> UNIX_FIELDS = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final List<String> SECONDS_FIELDS =
            List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS = new CronParser(secondsDefinition());

    private final String text;
    private final ExecutionTime executionTime;

    private CronExpression(String text, ExecutionTime executionTime) {
        this.text = text;
        this.executionTime = executionTime;
    }

    private static CronDefinition secondsDefinition() {
        return CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53);
    }

    /**
     * Parses an expression.
     *
     * @throws InvalidCronException with a sentence naming the faulty field
     */
    public static CronExpression parse(String text) throws InvalidCronException {
        if (text == null || text.isBlank()) {
            throw new InvalidCronException("expression", "the cron expression is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidCronException("expression", "the cron expression is longer than " + MAX_LENGTH
                    + " characters");
        }
        String trimmed = text.trim();
        String[] fields = trimmed.split("\\s+");
        List<String> names;
        CronParser parser;
        if (fields.length == 5) {
            names = UNIX_FIELDS;
            parser = UNIX;
        } else if (fields.length == 6) {
            names = SECONDS_FIELDS;
            parser = SECONDS;
        } else {
            throw new InvalidCronException("expression", "the cron expression '" + trimmed + "' has " + fields.length
                    + " fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)");
        }
        try {
            ExecutionTime time = ExecutionTime.forCron(parser.parse(trimmed).validate());
            return new CronExpression(String.join(" ", fields), time);
        } catch (IllegalArgumentException e) {
            int bad = faultyField(parser, fields);
            String field = bad >= 0 ? names.get(bad) : "expression";
            String where = bad >= 0 ? "its " + field + " field '" + fields[bad] + "' is not valid"
                    : "its fields do not fit together";
            throw new InvalidCronException(field, "the cron expression '" + trimmed + "' cannot be parsed: " + where
                    + " (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** The first field that fails on its own, every other field being {@code *}; -1 when none does. */
    private static int faultyField(CronParser parser, String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            String[] probe = new String[fields.length];
            java.util.Arrays.fill(probe, "*");
            probe[i] = fields[i];
            try {
                parser.parse(String.join(" ", probe)).validate();
            } catch (IllegalArgumentException e) {
                return i;
            }
        }
        return -1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        String line = message.lines().findFirst().orElse("invalid");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The next time the expression matches strictly after {@code after}, or empty when it never does again. */
    public Optional<Instant> next(Instant after) {
        // Matches fall on whole seconds; from a whole second the library's answer carries no fraction.
        Instant from = after.truncatedTo(ChronoUnit.SECONDS);
        return executionTime.nextExecution(ZonedDateTime.ofInstant(from, ZoneOffset.UTC))
                .map(next -> next.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The expression as given (fields separated by one space). */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
