package io.arqonbus.server.internal.presence;

import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;

/**
 * Who asks about presence: a bus connection (its client id) or an HTTP caller (no client id).
 *
 * @param clientId  the asking connection's client id, or {@code null} over HTTP
 * @param principal who the caller's token names ({@link Principal#ANONYMOUS} without auth)
 * @param grants    what the caller may subscribe to
 */
public record Viewer(String clientId, Principal principal, Grants grants) {
}
