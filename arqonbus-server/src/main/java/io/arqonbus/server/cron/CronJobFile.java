package io.arqonbus.server.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable jobs on disk: one JSON document {@code {"version":1,"jobs":[…]}} in the file store's
 * directory, replaced atomically (written beside it, then moved over it) on every change.
 */
final class CronJobFile {
    /** The file's name in the store directory. */
    static final String NAME = "cron-jobs.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path path;

    CronJobFile(Path directory) {
        this.path = directory.resolve(NAME);
    }

    Path path() {
        return path;
    }

    /** The stored jobs; none when the file does not exist. */
    List<ObjectNode> load() throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        JsonNode root = MAPPER.readTree(path.toFile());
        List<ObjectNode> jobs = new ArrayList<>();
        if (root != null && root.path("jobs").isArray()) {
            for (JsonNode job : root.path("jobs")) {
                if (job instanceof ObjectNode object) {
                    jobs.add(object);
                }
            }
        }
        return jobs;
    }

    /** Replaces the file with these jobs. */
    void save(List<ObjectNode> jobs) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("jobs");
        jobs.forEach(array::add);
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(NAME + ".tmp");
        Files.write(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
