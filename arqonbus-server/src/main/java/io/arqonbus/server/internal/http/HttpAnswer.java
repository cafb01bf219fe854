package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an endpoint answers: a status, a content type, a body and extra headers. Written by
 * {@link HttpRequestHandler}, which adds {@code Content-Length} and leaves the body out for
 * {@code HEAD}.
 *
 * @param status      the status
 * @param contentType the {@code Content-Type}
 * @param body        the body bytes
 * @param headers     extra headers
 */
public record HttpAnswer(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    /** {@code application/json; charset=utf-8}. */
    public static final String JSON = "application/json; charset=utf-8";
    /** The Prometheus text exposition format 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** A JSON answer. */
    public static HttpAnswer json(HttpResponseStatus status, JsonNode body) {
        try {
            return new HttpAnswer(status, JSON, MAPPER.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** A plain-text answer. */
    public static HttpAnswer text(HttpResponseStatus status, String contentType, String body) {
        return new HttpAnswer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * The JSON error shape of every refusal: {@code {"error":"<reason phrase>","details":"<sentence>"}},
     * as the bus port's 401 answers.
     */
    public static HttpAnswer error(HttpResponseStatus status, String details) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", status.reasonPhrase());
        body.put("details", details);
        return json(status, body);
    }

    /**
     * The HTTP API's error shape (docs/http-api.md): {@code {"error":{"code":"<protocol error code>",
     * "message":"<sentence>"}}}.
     */
    public static HttpAnswer apiError(HttpResponseStatus status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return json(status, body);
    }

    /** A new empty JSON object to fill. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** This answer with one more header. */
    public HttpAnswer withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, contentType, body, Map.copyOf(more));
    }
}
