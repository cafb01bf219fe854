package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The stored form of the durable jobs: {@code {"version":1,"jobs":[…]}}. */
final class CronJobDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CronJobDocument() {
    }

    static List<ObjectNode> read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
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

    static byte[] write(List<ObjectNode> jobs) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("jobs");
        jobs.forEach(array::add);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }
}
