package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.http.HttpCall;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One authenticated API call: the HTTP call, its caller and its JSON body ({@code null} for none). The
 * readers refuse a missing or ill-typed field with {@code VALIDATION_ERROR}.
 */
public record ApiRequest(HttpCall call, ApiCaller caller, ObjectNode body) {
    /** Room and channel names: 1-128 printable characters without white space, ':' or '/'. */
    private static final Pattern NAME = Pattern.compile("[^\\s:/\\p{Cntrl}]{1,128}");

    /** The body, which must be a JSON object. */
    public ObjectNode requireBody() throws ApiException {
        if (body == null) {
            throw ApiException.validation("the request needs a JSON object body");
        }
        return body;
    }

    /** A text field of the body, or {@code null} when absent. */
    public String optionalText(String field) throws ApiException {
        JsonNode value = requireBody().get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.validation("'" + field + "' must be a string");
        }
        return value.asText();
    }

    /** A required room or channel name of the body. */
    public String name(String field) throws ApiException {
        return checkName(field, optionalText(field));
    }

    /** A query parameter, or {@code null}. */
    public String query(String name) {
        List<String> values = call.query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A required room or channel name in the query. */
    public String queryName(String name) throws ApiException {
        return checkName(name, query(name));
    }

    /** An optional room or channel name in the query. */
    public String optionalQueryName(String name) throws ApiException {
        String value = query(name);
        return value == null ? null : checkName(name, value);
    }

    /** An integer query parameter in {@code [min, max]}, or {@code fallback} when absent. */
    public long queryLong(String name, long fallback, long min, long max) throws ApiException {
        String value = query(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.validation("'" + name + "' must be an integer from " + min + " to " + max);
    }

    /** A boolean query parameter, {@code false} when absent. */
    public boolean queryFlag(String name) throws ApiException {
        String value = query(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.validation("'" + name + "' must be true or false");
    }

    static String checkName(String field, String value) throws ApiException {
        if (value == null) {
            throw ApiException.validation("'" + field + "' is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw ApiException.validation("'" + field + "' must be 1-128 printable characters without white space, "
                    + "':' or '/'");
        }
        return value;
    }
}
