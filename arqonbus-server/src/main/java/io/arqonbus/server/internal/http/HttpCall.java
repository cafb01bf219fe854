package io.arqonbus.server.internal.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * One decoded request as an endpoint sees it.
 *
 * @param method  the request method
 * @param path    the decoded path, without the query
 * @param query   the decoded query parameters
 * @param headers the request headers
 * @param body    the request body (empty for none); not copied, do not change it
 */
public record HttpCall(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
        byte[] body) {
    private static final byte[] NONE = new byte[0];

    /** A call without a body. */
    public HttpCall(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers) {
        this(method, path, query, headers, NONE);
    }
}
