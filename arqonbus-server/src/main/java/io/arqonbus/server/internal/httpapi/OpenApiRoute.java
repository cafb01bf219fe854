package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.internal.http.HttpAnswer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code GET /api/openapi.json}: the OpenAPI 3.1 document of the API, a resource of this package; no credential. */
final class OpenApiRoute {
    /** The resource, next to this class. */
    static final String RESOURCE = "openapi.json";

    private OpenApiRoute() {
    }

    static ApiRoute route() {
        byte[] document = read();
        HttpAnswer answer = new HttpAnswer(HttpResponseStatus.OK, HttpAnswer.JSON, document, Map.of());
        return ApiRoute.get("/api/openapi.json", null, request -> CompletableFuture.completedFuture(answer));
    }

    private static byte[] read() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
