package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletionStage;

/**
 * One route of the API: a method, an exact path, the scope it needs and its handler.
 *
 * @param method  the method
 * @param path    the path, e.g. {@code /api/publish}
 * @param scope   the least scope a caller needs, or {@code null} for a route open to everyone
 * @param handler answers the call
 */
public record ApiRoute(HttpMethod method, String path, ApiScope scope, Handler handler) {
    /** Answers a call; runs on an event loop, so it never blocks (I/O completes the stage later). */
    @FunctionalInterface
    public interface Handler {
        CompletionStage<HttpAnswer> handle(ApiRequest request) throws ApiException;
    }

    public static ApiRoute get(String path, ApiScope scope, Handler handler) {
        return new ApiRoute(HttpMethod.GET, path, scope, handler);
    }

    public static ApiRoute post(String path, ApiScope scope, Handler handler) {
        return new ApiRoute(HttpMethod.POST, path, scope, handler);
    }

    public static ApiRoute delete(String path, ApiScope scope, Handler handler) {
        return new ApiRoute(HttpMethod.DELETE, path, scope, handler);
    }
}
