package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Durable webhook rules in {@code webhook-rules.json} in the file store's directory, replaced atomically. */
final class WebhookRuleFile implements WebhookRuleStore {
    /** The file's name in the store directory. */
    static final String NAME = "webhook-rules.json";

    private final Path path;
    private final ObjectMapper mapper = new ObjectMapper();

    WebhookRuleFile(Path directory) {
        this.path = directory.resolve(NAME);
    }

    @Override
    public List<StoredWebhookRule> load() throws IOException {
        return Files.exists(path) ? WebhookRuleStore.read(mapper, Files.readAllBytes(path)) : List.of();
    }

    @Override
    public void save(List<StoredWebhookRule> rules) throws IOException {
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(NAME + ".tmp");
        Files.write(temporary, WebhookRuleStore.write(mapper, rules));
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String where() {
        return path.toString();
    }
}
