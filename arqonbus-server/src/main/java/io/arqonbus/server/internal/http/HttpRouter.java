package io.arqonbus.server.internal.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Exact-path routing of {@code GET} and {@code HEAD} requests to endpoints. An unknown path is
 * answered 404, another method 405 with {@code Allow: GET, HEAD}. A mounted prefix ({@link
 * Builder#mount}) takes every method and routes below itself.
 */
public final class HttpRouter {
    /** The methods every endpoint accepts. */
    public static final String ALLOW = "GET, HEAD";

    private final Map<String, HttpEndpoint> routes;
    private final Map<String, HttpEndpoint> prefixes;
    private final Map<String, HttpEndpoint> mounts;

    private HttpRouter(Map<String, HttpEndpoint> routes, Map<String, HttpEndpoint> prefixes,
            Map<String, HttpEndpoint> mounts) {
        this.routes = Map.copyOf(routes);
        this.prefixes = Map.copyOf(prefixes);
        this.mounts = Map.copyOf(mounts);
    }

    /** A router builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link HttpRouter}. */
    public static final class Builder {
        private final Map<String, HttpEndpoint> routes = new LinkedHashMap<>();
        private final Map<String, HttpEndpoint> prefixes = new LinkedHashMap<>();
        private final Map<String, HttpEndpoint> mounts = new LinkedHashMap<>();

        private Builder() {
        }

        /** Routes {@code GET} and {@code HEAD} of exactly {@code path} to {@code endpoint}. */
        public Builder get(String path, HttpEndpoint endpoint) {
            if (routes.putIfAbsent(path, endpoint) != null) {
                throw new IllegalArgumentException("path routed twice: " + path);
            }
            return this;
        }

        /**
         * Routes {@code GET} and {@code HEAD} of every path below {@code prefix} (which ends with
         * {@code /}, e.g. {@code /presence/}) to {@code endpoint}, which reads the rest of the path.
         */
        public Builder getBelow(String prefix, HttpEndpoint endpoint) {
            if (!prefix.endsWith("/") || prefixes.putIfAbsent(prefix, endpoint) != null) {
                throw new IllegalArgumentException("prefix routed twice or not ending with '/': " + prefix);
            }
            return this;
        }

        /**
         * Hands every call to a path starting with {@code prefix} (which ends with {@code /}), whatever
         * its method, to {@code endpoint}, which routes it itself (the HTTP API under {@code /api/}).
         */
        public Builder mount(String prefix, HttpEndpoint endpoint) {
            if (!prefix.endsWith("/") || mounts.putIfAbsent(prefix, endpoint) != null) {
                throw new IllegalArgumentException("prefix mounted twice or not ending with '/': " + prefix);
            }
            return this;
        }

        public HttpRouter build() {
            return new HttpRouter(routes, prefixes, mounts);
        }
    }

    /** The routed paths. */
    public Set<String> paths() {
        return routes.keySet();
    }

    private HttpEndpoint below(String path) {
        for (Map.Entry<String, HttpEndpoint> prefix : prefixes.entrySet()) {
            if (path.startsWith(prefix.getKey()) && path.length() > prefix.getKey().length()) {
                return prefix.getValue();
            }
        }
        return null;
    }

    /** Answers one call; the stage fails only if the endpoint fails. */
    public CompletionStage<HttpAnswer> route(HttpCall call) {
        for (Map.Entry<String, HttpEndpoint> mount : mounts.entrySet()) {
            if (call.path().startsWith(mount.getKey())) {
                return mount.getValue().handle(call);
            }
        }
        HttpEndpoint endpoint = routes.get(call.path());
        if (endpoint == null) {
            endpoint = below(call.path());
        }
        if (endpoint == null) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.NOT_FOUND,
                    "No endpoint at " + call.path() + "; try one of " + String.join(", ", routes.keySet())));
        }
        if (!HttpMethod.GET.equals(call.method()) && !HttpMethod.HEAD.equals(call.method())) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "Method " + call.method() + " is not allowed on " + call.path() + "; use " + ALLOW)
                    .withHeader("Allow", ALLOW));
        }
        return endpoint.handle(call);
    }
}
