package io.arqonbus.server.internal.cron;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The durable jobs on disk: the {@link CronJobDocument} in the file store's directory, replaced
 * atomically (written beside it, then moved over it) on every change.
 */
final class CronJobFile implements CronJobStore {
    /** The file's name in the store directory. */
    static final String NAME = "cron-jobs.json";

    private final Path path;

    CronJobFile(Path directory) {
        this.path = directory.resolve(NAME);
    }

    @Override
    public String where() {
        return path.toString();
    }

    @Override
    public List<StoredCronJob> load() throws IOException {
        return Files.exists(path) ? CronJobDocument.read(Files.readAllBytes(path)).jobs() : List.of();
    }

    @Override
    public void save(List<StoredCronJob> jobs) throws IOException {
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(NAME + ".tmp");
        Files.write(temporary, CronJobDocument.of(jobs).write());
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
