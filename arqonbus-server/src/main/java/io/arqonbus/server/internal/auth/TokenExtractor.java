package io.arqonbus.server.internal.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
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
        String token = fromHeader(request.headers());
        return token != null ? token : fromQuery(new QueryStringDecoder(request.uri()).parameters());
    }

    /**
     * The token of a request already decoded into headers and query parameters (the HTTP port's
     * reads of bus data), or {@code null}; the same places, in the same order.
     */
    public static String extract(HttpHeaders headers, Map<String, List<String>> query) {
        String token = fromHeader(headers);
        return token != null ? token : fromQuery(query);
    }

    private static String fromHeader(HttpHeaders headers) {
        String header = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (header != null) {
            String trimmed = header.trim();
            if (trimmed.length() > 7 && trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String token = trimmed.substring(7).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        return null;
    }

    private static String fromQuery(Map<String, List<String>> params) {
        for (String name : QUERY_NAMES) {
            List<String> values = params.get(name);
            if (values != null && !values.isEmpty() && !values.get(0).isBlank()) {
                return values.get(0).trim();
            }
        }
        return null;
    }
}
