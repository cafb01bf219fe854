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

/** GETs one JSON object from the ArqonBus HTTP port, with the original CLI's error sentences. */
final class HttpJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private HttpJson() {
    }

    /** {@code base} without trailing slashes, then {@code path}. */
    static String url(String base, String path) {
        String trimmed = base;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed + path;
    }

    /**
     * GETs {@code url} and returns its JSON object.
     *
     * @throws CliException (exit 1) {@code HTTP <code> calling <url>: <body>}, {@code Failed to reach <url>: …}
     *                      or {@code Invalid JSON from <url>: …}; (exit 2) for a malformed URL
     */
    static JsonNode get(String url, Duration timeout, String caFile) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("expected an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Invalid URL " + url + ": " + e.getMessage());
        }
        HttpClient client = TrustedCa.client(caFile, timeout);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.FAILURE, "Failed to reach " + url + ": timed out after " + seconds(timeout), e);
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.FAILURE, "Failed to reach " + url + ": " + reason(e, "connection refused"), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "Failed to reach " + url + ": " + reason(e, "connection failed"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "Interrupted calling " + url);
        } finally {
            client.close();
        }
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw CliException.failure("HTTP " + response.statusCode() + " calling " + url + ": " + response.body());
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw CliException.failure("Invalid JSON from " + url + ": " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw CliException.failure("Expected JSON object from " + url);
        }
        return json;
    }

    private static String reason(IOException e, String fallback) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : fallback;
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
