package io.arqonbus.server.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Argument readers the operator lanes ({@code op.cron.*}, {@code op.omega.*}) share. */
public final class OperatorArgs {
    private OperatorArgs() {
    }

    /** An optional number of seconds in {@code [min, max]}, or {@code fallback} when absent. */
    public static Double optionalSeconds(CommandContext context, String name, Double fallback, double min, double max)
            throws CommandException {
        JsonNode node = context.args().get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw CommandException.validation("'" + name + "' must be a number of seconds");
        }
        double value = node.asDouble();
        if (value < min || value > max) {
            throw CommandException.validation("'" + name + "' must be between " + trim(min) + " and " + trim(max)
                    + " seconds");
        }
        return value;
    }

    /** An optional JSON object, or {@code fallback} when absent. */
    public static ObjectNode optionalObject(CommandContext context, String name, ObjectNode fallback)
            throws CommandException {
        JsonNode node = context.args().get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!(node instanceof ObjectNode object)) {
            throw CommandException.validation("'" + name + "' must be a JSON object");
        }
        return object;
    }

    /** A required JSON object. */
    public static ObjectNode requiredObject(CommandContext context, String name) throws CommandException {
        ObjectNode object = optionalObject(context, name, null);
        if (object == null) {
            throw CommandException.validation("'" + name + "' is required and must be a JSON object");
        }
        return object;
    }

    /** A required string of at most {@code maxLength} characters. */
    public static String requiredText(CommandContext context, String name, int maxLength) throws CommandException {
        String value = context.requiredString(name);
        if (value.length() > maxLength) {
            throw CommandException.validation("'" + name + "' must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** An optional string of at most {@code maxLength} characters, {@code null} when absent. */
    public static String optionalText(CommandContext context, String name, int maxLength) throws CommandException {
        String value = context.optionalString(name);
        if (value != null && value.length() > maxLength) {
            throw CommandException.validation("'" + name + "' must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** {@code 0.1}, {@code 1}, {@code 31622400}: a bound as a person writes it. */
    private static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
