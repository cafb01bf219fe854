package io.arqonbus.cli.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One call to the server's HTTP API ({@code /api/…}, docs/http-api.md) with an API key, whose failures say
 * what to do next: a missing or refused key, a scope too small, a validation error, an unreachable server.
 */
final class ApiCall {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private ApiCall() {
    }

    /**
     * Sends {@code method url} with {@code body} (or none) and returns the JSON answer.
     *
     * @throws CliException (exit 1) with the server's error code and sentence and a hint; (exit 2) for a bad URL
     */
    static JsonNode send(String method, String url, String body, String apiKey, Duration timeout, String caFile) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("expected an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Invalid URL " + url + ": " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try (HttpClient client = TrustedCa.client(caFile, timeout)) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw CliException.failure("Failed to reach " + url + ": timed out after " + timeout.toMillis() / 1000.0
                    + " s; raise --timeout-seconds or check the server");
        } catch (ConnectException e) {
            throw CliException.failure("Failed to reach " + url + ": connection refused; is the server running, "
                    + "and is --http-url (or ARQONBUS_HTTP_URL) its HTTP port?");
        } catch (IOException e) {
            throw CliException.failure("Failed to reach " + url + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "Interrupted calling " + url);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw CliException.failure("HTTP " + response.statusCode() + " from " + url + " with a body that is not "
                    + "JSON; is --http-url the ArqonBus HTTP port?");
        }
        if (response.statusCode() >= 200 && response.statusCode() < 300 && json != null && json.isObject()) {
            return json;
        }
        throw CliException.failure(refusal(response.statusCode(), url, json, apiKey != null));
    }

    private static String refusal(int status, String url, JsonNode json, boolean hadKey) {
        JsonNode error = json == null ? null : json.path("error");
        String code = error != null && error.isObject() ? error.path("code").asText() : "";
        String message = error != null && error.isObject() ? error.path("message").asText() : String.valueOf(json);
        String head = "HTTP " + status + (code.isEmpty() ? "" : " " + code) + " calling " + url + ": " + message;
        return switch (status) {
            case 401 -> head + (hadKey ? "; check the key (--api-key or ARQONBUS_API_KEY) against the server's "
                    + "ARQONBUS_API_KEYS" : "; pass --api-key KEY or set ARQONBUS_API_KEY (the server's keys are set "
                    + "with ARQONBUS_API_KEYS)");
            case 403 -> head + "; use a key with the scope this needs (read < publish < admin) and, for a tenant "
                    + "key, a room of its tenant";
            case 404 -> code.isEmpty() ? head + "; is --http-url the ArqonBus HTTP port (0.x servers have no /api/)?"
                    : head;
            case 429 -> head + "; slow down or raise ARQONBUS_API_RATE_LIMIT on the server";
            default -> head;
        };
    }
}
