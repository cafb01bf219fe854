package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.Locale;

/**
 * The sentence of an {@code INVALID_JSON} refusal: what is wrong with the frame, in words a
 * client developer reads, with the line and column where the parser stopped. Never the parser's
 * own message: it names parser classes and settings ({@code StreamReadConstraints},
 * {@code JsonReadFeature}, token types) that mean nothing to a client and tell an attacker which
 * parser and version runs behind the port.
 *
 * <p>The kinds of problem are told apart by the parser's exception type and, inside a type, by
 * the start of its message (the parser has no other way of saying which limit was hit or which
 * rule was broken); anything not recognised gets the general sentence.
 */
final class InvalidJson {
    static final String PREFIX = "Invalid JSON: ";

    private InvalidJson() {
    }

    /**
     * The sentence for a failure to read {@code frame[offset, offset + length)} (or {@code text}
     * when the frame was given as a string; then {@code frame} is {@code null}).
     */
    static String sentence(IOException e, StreamReadConstraints limits, byte[] frame, int offset, int length,
            String text) {
        String original = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String message = original == null ? "" : original;
        JsonLocation location = e instanceof JsonProcessingException j ? j.getLocation() : null;
        String at = at(location);
        if (e instanceof StreamConstraintsException) {
            return PREFIX + tooLarge(message, limits);
        }
        if (e instanceof JsonEOFException) {
            return PREFIX + "the frame ends before the JSON does (a string, object or array is not closed)";
        }
        if (e instanceof MismatchedInputException) {
            // FAIL_ON_TRAILING_TOKENS: a second value after the object.
            return PREFIX + "something follows the JSON object" + at + "; send one JSON object per frame";
        }
        if (e instanceof CharConversionException || message.startsWith("Invalid UTF-8")
                || message.startsWith("Invalid UTF-32")) {
            return PREFIX + "the frame is not valid UTF-8" + at;
        }
        if (message.startsWith("Illegal unquoted character")) {
            return PREFIX + "a control character inside a string must be escaped (\\n, \\t, \\u0001…)" + at;
        }
        if (message.startsWith("Unexpected character") || message.startsWith("Unexpected close marker")
                || message.startsWith("Illegal character")) {
            return PREFIX + "unexpected " + character(location, frame, offset, length, text) + at;
        }
        if (message.startsWith("Unrecognized token") || message.startsWith("Non-standard token")) {
            return PREFIX + "a value that is not JSON" + at
                    + " (a value is a string in double quotes, a number, an object, an array, true, false or null)";
        }
        if (message.startsWith("Invalid numeric value") || message.startsWith("Leading zeroes")
                || message.contains("numeric value")) {
            return PREFIX + "a malformed number" + at;
        }
        if (message.startsWith("Unrecognized character escape") || message.contains("escape")) {
            return PREFIX + "an invalid escape sequence in a string" + at;
        }
        return PREFIX + "the frame is not well-formed JSON" + at;
    }

    /** A value over one of the parser's limits: which one, and the limit. */
    private static String tooLarge(String message, StreamReadConstraints limits) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "objects and arrays are nested more than " + limits.getMaxNestingDepth() + " levels deep";
        }
        if (m.startsWith("number value length") || m.contains("number length")) {
            return "a number is longer than " + limits.getMaxNumberLength() + " characters";
        }
        if (m.startsWith("string value length") || m.contains("string length")) {
            return "a string is longer than " + limits.getMaxStringLength() + " characters";
        }
        if (m.startsWith("name length") || m.contains("name value length")) {
            return "a field name is longer than " + limits.getMaxNameLength() + " characters";
        }
        return "the frame is larger or more deeply nested than the server reads";
    }

    /** " at line L, column C", or nothing when the parser did not say where. */
    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The character the parser stopped at, quoted when it is printable ASCII. */
    private static String character(JsonLocation location, byte[] frame, int offset, int length, String text) {
        int c = -1;
        if (location != null) {
            if (frame != null) {
                long at = location.getByteOffset();
                if (at >= 0 && at < length) {
                    c = frame[offset + (int) at] & 0xFF;
                }
            } else if (text != null) {
                long at = location.getCharOffset();
                if (at >= 0 && at < text.length()) {
                    c = text.charAt((int) at);
                }
            }
        }
        if (c > 0x20 && c < 0x7F) {
            return "character '" + (char) c + "'";
        }
        if (c >= 0 && c <= 0x20) {
            return "character U+" + String.format(Locale.ROOT, "%04X", c);
        }
        return "character";
    }
}
