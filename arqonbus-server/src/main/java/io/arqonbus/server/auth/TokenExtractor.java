package io.arqonbus.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the token of a handshake where the original ArqonBus looks, first match wins: the
 * {@code Authorization: Bearer <jwt>} header (scheme case-insensitive), else the query
 * parameter {@code token}, {@code access_token} or {@code auth_token}.
 */
public final class TokenExtractor {
    private static final List<String> QUERY_NAMES = List.of("token", "access_token", "auth_token");

    private TokenExtractor() {
    }

    /** The token, or {@code null} when the request carries none. */
    public static String extract(HttpRequest request) {
        return extract(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                new QueryStringDecoder(request.uri()).parameters());
    }

    /**
     * The token from an {@code Authorization} header value (may be {@code null}) and decoded query
     * parameters, or {@code null} when neither carries one (used by the HTTP port too).
     */
    public static String extract(String authorization, Map<String, List<String>> params) {
        if (authorization != null) {
            String trimmed = authorization.trim();
            if (trimmed.length() > 7 && trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String token = trimmed.substring(7).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        for (String name : QUERY_NAMES) {
            List<String> values = params.get(name);
            if (values != null && !values.isEmpty() && !values.get(0).isBlank()) {
                return values.get(0).trim();
            }
        }
        return null;
    }
}
