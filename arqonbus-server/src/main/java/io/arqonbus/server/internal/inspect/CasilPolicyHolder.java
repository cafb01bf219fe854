package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.casil.CasilPolicyException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The policy in force. The hot path reads it with one volatile read per envelope; a reload
 * validates the new policy completely before swapping it in, so an envelope is inspected by
 * either the old or the new policy, never by a mixture, and a refused reload changes nothing.
 */
public final class CasilPolicyHolder {
    private volatile CasilPolicy current;
    private final CopyOnWriteArrayList<Consumer<CasilPolicy>> reloaded = new CopyOnWriteArrayList<>();
    private volatile Runnable beforeReload = () -> { };

    public CasilPolicyHolder(CasilPolicy initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The policy in force. */
    public CasilPolicy current() {
        return current;
    }

    /**
     * Applies the keys of an {@code op.casil.reload} to the policy in force and swaps the result
     * in. Reloads are serialized, so two concurrent reloads both take effect.
     *
     * @return the new policy
     * @throws CasilPolicyException when the changes are not valid; the policy in force is kept
     */
    public synchronized CasilPolicy reload(ObjectNode changes) throws CasilPolicyException {
        CasilPolicy next = CasilPolicyParser.merge(current, changes);
        beforeReload.run();
        current = next;
        for (Consumer<CasilPolicy> listener : reloaded) {
            listener.accept(next);
        }
        return next;
    }

    /**
     * Tells {@code listener} of every policy a {@link #reload} swaps in, in the order they were
     * swapped in, under this holder's lock (it must not block); not of a {@link #replace}.
     */
    public void onReload(Consumer<CasilPolicy> listener) {
        reloaded.add(listener);
    }

    /**
     * Runs {@code check} before each {@link #reload} swaps a valid policy in; a check that throws
     * refuses the reload (a cluster whose Redis is unreachable). Set once, before traffic.
     */
    public void checkBeforeReload(Runnable check) {
        beforeReload = Objects.requireNonNull(check, "check");
    }

    /** Replaces the policy in force (embedding applications, tests). */
    public synchronized void replace(CasilPolicy policy) {
        current = Objects.requireNonNull(policy, "policy");
    }
}
