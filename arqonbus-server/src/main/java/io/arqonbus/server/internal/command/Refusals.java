package io.arqonbus.server.internal.command;

/**
 * Turns a failure that is no {@link CommandException} (thrown by a command, or the failure of its
 * future) into the refusal its caller gets, e.g. a store that cannot be reached into
 * {@code STORAGE_UNAVAILABLE}; {@code null} for an unexpected failure, answered
 * {@code EXECUTION_ERROR}.
 */
@FunctionalInterface
public interface Refusals {

    /** The refusal for {@code failure}, or {@code null}. */
    CommandException refusal(Throwable failure);
}
