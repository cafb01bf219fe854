package io.arqonbus.server.internal.cron;

import static io.arqonbus.server.internal.kv.KeyValueWait.await;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.arqonbus.server.internal.kv.KeyValueStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The durable jobs in the key-value store — Redis when Redis is the storage backend — under the
 * server's reserved namespace {@value #NAMESPACE}, key {@value #KEY}, as the same document the
 * file store keeps. No connection may use that namespace through {@code op.store}.
 */
final class CronJobsInKeyValueStore implements CronJobStore {
    static final String NAMESPACE = "arqonbus:cron";
    static final String KEY = "jobs";
    /** How long the scheduler thread waits for the store. */

    private final KeyValueStore store;

    CronJobsInKeyValueStore(KeyValueStore store) {
        this.store = store;
    }

    @Override
    public List<StoredCronJob> load() throws IOException {
        Optional<String> json = await(store.get(NAMESPACE, KEY));
        return json.isEmpty() ? List.of() : CronJobDocument.read(json.get().getBytes(UTF_8)).jobs();
    }

    @Override
    public void save(List<StoredCronJob> jobs) throws IOException {
        await(store.set(NAMESPACE, KEY, new String(CronJobDocument.of(jobs).write(), UTF_8)));
    }

    @Override
    public String where() {
        return "kv:" + NAMESPACE + "/" + KEY;
    }
}
