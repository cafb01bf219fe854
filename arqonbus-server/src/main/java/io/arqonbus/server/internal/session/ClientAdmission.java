package io.arqonbus.server.internal.session;

import java.util.concurrent.CompletionStage;

/**
 * A step a new connection passes before its welcome, e.g. entering the cluster's client
 * registry, so that whoever learns the client's id from its welcome can already reach it. The
 * connection reads nothing until the step completes; its welcome follows then, whether the step
 * succeeded or not (a failure is the step's to log). Called on the session's loop; must not block.
 */
@FunctionalInterface
public interface ClientAdmission {
    CompletionStage<?> admit(Session session);
}
