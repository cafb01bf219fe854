package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored form of the durable jobs, {@code {"version":1,"jobs":[…]}}: a storage document of its
 * own, apart from the replies of {@code op.cron.*}. A file without {@code version} reads as version
 * 1; a newer version is refused rather than half read (and the scheduler then leaves it as it is).
 *
 * @param version the document's format version, {@value #VERSION} when written by this server
 * @param jobs    the durable jobs
 */
record CronJobDocument(@JsonProperty("version") int version, @JsonProperty("jobs") List<StoredCronJob> jobs) {
    /** The format version this server writes and the newest it reads: {@value}. */
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(CronJobDocument.class);

    /** A document of the current version holding these jobs. */
    static CronJobDocument of(List<StoredCronJob> jobs) {
        return new CronJobDocument(VERSION, List.copyOf(jobs));
    }

    /** Reads a document; a job entry that cannot be read is logged and left out. */
    /** One job as JSON, as a cluster shares it. */
    static String writeJob(StoredCronJob job) {
        return MAPPER.valueToTree(job).toString();
    }

    /** One job from its JSON ({@link #writeJob}). */
    static StoredCronJob readJob(String json) throws IOException {
        return MAPPER.readValue(json, StoredCronJob.class);
    }

    static CronJobDocument read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        int version = root == null ? VERSION : root.path("version").asInt(VERSION);
        if (version > VERSION) {
            throw new NewerVersionException(version);
        }
        List<StoredCronJob> jobs = new ArrayList<>();
        if (root != null && root.path("jobs").isArray()) {
            for (JsonNode job : root.path("jobs")) {
                if (!job.isObject()) {
                    continue;
                }
                try {
                    jobs.add(MAPPER.treeToValue(job, StoredCronJob.class));
                } catch (JsonProcessingException e) {
                    log.atWarn()
                            .addKeyValue("event", "cron_job_not_restored")
                            .addKeyValue("job", job.path("job_id").asText())
                            .addKeyValue("msg", e.getOriginalMessage())
                            .log("cron_job_not_restored");
                }
            }
        }
        return new CronJobDocument(version, jobs);
    }

    /** A document written by a newer server: not read, and not to be written over. */
    static final class NewerVersionException extends IOException {
        NewerVersionException(int version) {
            super("cron job document version " + version + " is newer than this server reads (" + VERSION + ")");
        }
    }

    /** The document as pretty-printed JSON. */
    byte[] write() throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    }
}
