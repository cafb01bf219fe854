package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.http.HttpCall;
import io.arqonbus.server.internal.http.HttpEndpoint;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of {@code /api/}: exact paths, one handler per method. A call goes through, in order:
 * the route (404 {@code NOT_FOUND}, 405 with {@code Allow}), the credential (401), the scope (403), the
 * caller's rate limit (429 {@code RATE_LIMITED}), the body (400 {@code INVALID_JSON} unless a JSON object),
 * then the handler. {@code HEAD} is answered as {@code GET} without a body. Every refusal has the API's
 * error shape.
 */
public final class ApiEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ApiEndpoint.class);

    private final Map<String, Map<HttpMethod, ApiRoute>> routes = new LinkedHashMap<>();
    private final ApiAuth auth;
    private final ApiRateLimits limits;
    private final ObjectMapper mapper;

    ApiEndpoint(List<ApiRoute> table, ApiAuth auth, ApiRateLimits limits, ObjectMapper mapper) {
        for (ApiRoute route : table) {
            if (routes.computeIfAbsent(route.path(), p -> new LinkedHashMap<>())
                    .putIfAbsent(route.method(), route) != null) {
                throw new IllegalArgumentException("routed twice: " + route.method() + " " + route.path());
            }
        }
        this.auth = auth;
        this.limits = limits;
        this.mapper = mapper;
    }

    /** Every route, for the OpenAPI check: {@code "METHOD /path"}. */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        routes.forEach((path, byMethod) -> byMethod.keySet().forEach(m -> out.add(m.name() + " " + path)));
        return out;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        Map<HttpMethod, ApiRoute> byMethod = routes.get(call.path());
        if (byMethod == null) {
            return answer(ApiException.of(ErrorCode.NOT_FOUND, "No API route at " + call.path()
                    + "; the routes are listed at /api/openapi.json"));
        }
        HttpMethod method = HttpMethod.HEAD.equals(call.method()) ? HttpMethod.GET : call.method();
        ApiRoute route = byMethod.get(method);
        if (route == null) {
            String allow = byMethod.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            return CompletableFuture.completedFuture(new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "METHOD_NOT_ALLOWED", "Method " + call.method() + " is not allowed on " + call.path() + "; use "
                    + allow, List.of(), null).answer().withHeader("Allow", allow));
        }
        if (route.scope() == null) {
            return run(route, new ApiRequest(call, null, null));
        }
        return auth.caller(call).thenCompose(caller -> {
            if (!caller.scope().includes(route.scope())) {
                return answer(ApiException.forbidden(route.method() + " " + route.path() + " needs scope '"
                        + route.scope().wireName() + "'; this caller's scope is '" + caller.scope().wireName() + "'"));
            }
            if (!limits.tryTake(caller.name())) {
                return answer(ApiException.of(ErrorCode.RATE_LIMITED, "Rate limit exceeded: at most "
                        + limits.ratePerSecond() + " requests a second per caller; retry shortly"));
            }
            ObjectNode body;
            try {
                body = body(call);
            } catch (ApiException e) {
                return answer(e);
            }
            return run(route, new ApiRequest(call, caller, body));
        }).exceptionally(error -> {
            Throwable cause = Failures.unwrap(error);
            if (cause instanceof ApiException refused) {
                return refused.answer();
            }
            if (cause instanceof StoreUnavailableException unavailable) {
                return ApiException.of(ErrorCode.STORAGE_UNAVAILABLE,
                        "The store is unavailable: " + unavailable.getMessage()).answer();
            }
            log.atWarn().setCause(cause)
                    .addKeyValue("event", "api_call_failed")
                    .addKeyValue("path", call.path())
                    .addKeyValue("error", cause.toString())
                    .log("api_call_failed");
            return ApiException.of(ErrorCode.INTERNAL_ERROR, "The server failed to answer " + call.path()).answer();
        });
    }

    private static CompletionStage<HttpAnswer> run(ApiRoute route, ApiRequest request) {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return answer(e);
        }
    }

    private ObjectNode body(HttpCall call) throws ApiException {
        if (call.body().length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(call.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The body must be a JSON object");
        }
        return (ObjectNode) tree;
    }

    private static CompletionStage<HttpAnswer> answer(ApiException refused) {
        return CompletableFuture.completedFuture(refused.answer());
    }
}
