package io.arqonbus.server.internal.webhook;

import static io.arqonbus.server.internal.kv.KeyValueWait.await;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.internal.kv.KeyValueStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Durable webhook rules in the server's reserved key-value namespace {@code arqonbus:webhooks}
 * (key {@code rules}; with Redis, the hash {@code <prefix>kv:arqonbus:webhooks}), which no client may
 * use. Called on the webhook store's own thread and at start-up, never on an event loop.
 */
final class WebhookRulesInKeyValueStore implements WebhookRuleStore {
    static final String NAMESPACE = "arqonbus:webhooks";
    static final String KEY = "rules";

    private final KeyValueStore store;
    private final ObjectMapper mapper = new ObjectMapper();

    WebhookRulesInKeyValueStore(KeyValueStore store) {
        this.store = store;
    }

    @Override
    public List<StoredWebhookRule> load() throws IOException {
        Optional<String> json = await(store.get(NAMESPACE, KEY));
        return json.isEmpty() ? List.of() : WebhookRuleStore.read(mapper, json.get().getBytes(UTF_8));
    }

    @Override
    public void save(List<StoredWebhookRule> rules) throws IOException {
        await(store.set(NAMESPACE, KEY, new String(WebhookRuleStore.write(mapper, rules), UTF_8)));
    }

    @Override
    public String where() {
        return "kv:" + NAMESPACE + "/" + KEY;
    }
}
