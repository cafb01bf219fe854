package io.arqonbus.server.internal.webhook;

/**
 * Told of every rule registered or unregistered on this node at run time ({@code op.webhook.*},
 * and a connection's rules going with it), after the change took effect here: the seam through
 * which a cluster shares its rules with the other nodes. Copies applied from other nodes
 * ({@link Webhooks#applyCopy}, {@link Webhooks#removeCopy}) and the configuration file's rules are
 * not told. Called on the caller's thread: an implementation must not block.
 */
public interface WebhookRuleChanges {
    /** Tells nothing (a single node). */
    WebhookRuleChanges NONE = new WebhookRuleChanges() {
        @Override
        public void registered(String ruleId, String shared) {
        }

        @Override
        public void unregistered(String ruleId) {
        }
    };

    /**
     * Called before a rule is registered or unregistered by a command, on the caller's thread (must
     * not block): throws {@link io.arqonbus.server.internal.history.StoreUnavailableException} when
     * the change could not be shared now (a cluster whose Redis is unreachable), so it is refused
     * ({@code STORAGE_UNAVAILABLE}) rather than made on this node only. A single node accepts.
     */
    default void checkAvailable() {
    }

    /**
     * A rule was registered.
     *
     * @param shared the rule as another node takes it in {@link Webhooks#applyCopy} (JSON, its secret included)
     */
    void registered(String ruleId, String shared);

    /** A rule was unregistered. */
    void unregistered(String ruleId);
}
