package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;

/**
 * Who sent an HTTP read of bus data, as {@link HttpAuth} found out.
 *
 * @param principal the token's principal; {@link Principal#ANONYMOUS} when auth is off
 * @param grants    its channel permissions, compiled for this request only (not thread-safe)
 */
public record HttpCaller(Principal principal, Grants grants) {
}
