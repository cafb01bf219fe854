package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.http.HttpCall;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the caller of an API call. The credential is {@code Authorization: Bearer <key or token>} or
 * {@code X-API-Key: <key>}. A presented value is hashed and compared with every configured key's digest
 * in constant time (all of them, whether one matched or not); one that is no key is tried as a JWT by the
 * server's verifier when auth is on, and only an admin token is accepted. Without keys and with auth off,
 * every caller is anonymous with scope {@code publish} (no administration).
 */
final class ApiAuth {
    /** The header an API key may come in besides {@code Authorization}. */
    static final String API_KEY_HEADER = "X-API-Key";

    private final List<ApiKey> keys;
    private final Authenticator authenticator;

    ApiAuth(List<ApiKey> keys, Authenticator authenticator) {
        this.keys = List.copyOf(keys);
        this.authenticator = authenticator;
    }

    /** Whether a credential is needed. */
    boolean required() {
        return !keys.isEmpty() || authenticator.enabled();
    }

    /** The caller, or a stage failed with a 401/403 {@link ApiException}. */
    CompletionStage<ApiCaller> caller(HttpCall call) {
        String credential = credential(call);
        if (credential == null) {
            return required()
                    ? CompletableFuture.failedFuture(ApiException.unauthorized(
                            "Missing credential: send 'Authorization: Bearer <API key or admin token>' or '"
                                    + API_KEY_HEADER + ": <API key>'"))
                    : CompletableFuture.completedFuture(
                            new ApiCaller("anonymous", ApiScope.PUBLISH, null, Principal.ANONYMOUS));
        }
        ApiKey key = find(credential);
        if (key != null) {
            return CompletableFuture.completedFuture(new ApiCaller(key.name(), key.scope(), key.tenant(),
                    new Principal("api-key:" + key.name(), key.scope() == ApiScope.ADMIN ? "admin" : "user",
                            key.tenant(), null)));
        }
        if (!authenticator.enabled()) {
            return CompletableFuture.failedFuture(ApiException.unauthorized("Invalid credential: no such API key"));
        }
        return authenticator.verify(credential).thenCompose(result -> {
            if (!(result instanceof AuthResult.Accepted accepted)) {
                return CompletableFuture.failedFuture(
                        ApiException.unauthorized("Invalid credential: neither an API key nor a valid token"));
            }
            Principal principal = accepted.principal();
            if (!principal.isAdmin()) {
                return CompletableFuture.failedFuture(ApiException.forbidden(
                        "The HTTP API takes an API key or an admin token; this token's role is '" + principal.role()
                                + "'"));
            }
            String name = principal.subject() == null ? "admin" : principal.subject();
            return CompletableFuture.completedFuture(new ApiCaller(name, ApiScope.ADMIN, null, principal));
        });
    }

    private ApiKey find(String credential) {
        byte[] digest = ApiKey.digestOf(credential);
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (key.matches(digest) && found == null) {
                found = key;
            }
        }
        return found;
    }

    private static String credential(HttpCall call) {
        String apiKey = call.headers().get(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String authorization = call.headers().get("Authorization");
        if (authorization != null && authorization.length() > 7
                && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String value = authorization.substring(7).trim();
            return value.isEmpty() ? null : value;
        }
        return null;
    }
}
