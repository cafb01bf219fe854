package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Real HTTP calls to the API of a test bus (java.net.http, keep-alive). */
final class ApiCalls {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ArqonBusExtension server;

    ApiCalls(ArqonBusExtension server) {
        this.server = server;
    }

    /** An answer: status, parsed body, raw response. */
    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        String code() {
            return json.path("error").path("code").asText();
        }

        String message() {
            return json.path("error").path("message").asText();
        }
    }

    Answer get(String pathAndQuery, String credential) throws Exception {
        return send("GET", pathAndQuery, null, credential);
    }

    Answer post(String path, String body, String credential) throws Exception {
        return send("POST", path, body, credential);
    }

    Answer send(String method, String pathAndQuery, String body, String credential) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri(pathAndQuery))
                .timeout(ArqonBusExtension.TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? TestClient.object() : TestClient.parse(response.body());
        return new Answer(response.statusCode(), json, response);
    }
}
