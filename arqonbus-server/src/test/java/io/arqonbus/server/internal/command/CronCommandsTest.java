package io.arqonbus.server.internal.command;

import static io.arqonbus.server.internal.command.CommandCalls.args;
import static io.arqonbus.server.internal.command.CommandCalls.error;
import static io.arqonbus.server.internal.command.CommandCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.config.CronSettings;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code op.cron.*} over a real connection: timing, delivery shape, cancel, validation, ownership, lifecycle. */
class CronCommandsTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final ChannelPermissions PERMISSIONS = new ChannelPermissions(Map.of(
            "admin", Map.of(ChannelAction.SUBSCRIBE, List.of("*"), ChannelAction.PUBLISH, List.of("*"),
                    ChannelAction.HISTORY, List.of("*")),
            "user", Map.of(ChannelAction.SUBSCRIBE, List.of("*"), ChannelAction.PUBLISH, List.of("cron-*:*"),
                    ChannelAction.HISTORY, List.of("*"))),
            null);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(OperatorTokens.SECRET).permissions(PERMISSIONS)
            .cron(CronSettings.defaults().withMaxJobsPerClient(3).withMaxRepeatCount(1000)));

    private static TestClient connect(String sub, String role) throws Exception {
        return server.connect(Map.of("Authorization", "Bearer " + OperatorTokens.token(sub, role)));
    }

    private static TestClient member(String room, String channel) throws Exception {
        TestClient client = connect("watcher", "user");
        assertThat(client.joinChannel(room, channel).get().path("status").asText()).isEqualTo("success");
        return client;
    }

    private static JsonNode nextDelivery(TestClient client, String jobId) throws Exception {
        return client.await(f -> jobId.equals(f.path("metadata").path("cron_job_id").asText()), T);
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> listedIds(TestClient client) throws Exception {
        List<String> ids = new ArrayList<>();
        ok(client, "op.cron.list", args()).path("jobs").forEach(job -> ids.add(job.path("job_id").asText()));
        return ids;
    }

    @Test
    void anIntervalJobFiresExactlyRepeatCountTimesAsStoredPublications() throws Exception {
        TestClient watcher = member("cron-a", "ticks");
        TestClient alice = connect("alice", "user");
        ObjectNode payload = TestClient.object().put("text", "tick");
        JsonNode job = ok(alice, "op.cron.schedule", args("room", "cron-a", "channel", "ticks", "payload", payload,
                "delay_seconds", 0, "interval_seconds", 0.1, "repeat_count", 3));
        String jobId = job.path("job_id").asText();
        assertThat(jobId).matches("cron_[0-9a-f]{12}");
        assertThat(job.path("room").asText()).isEqualTo("cron-a");
        assertThat(job.path("channel").asText()).isEqualTo("ticks");
        assertThat(job.path("delay_seconds").asDouble()).isZero();
        assertThat(job.path("interval_seconds").asDouble()).isEqualTo(0.1);
        assertThat(job.path("repeat_count").asInt()).isEqualTo(3);
        assertThat(job.path("created_at").asText()).endsWith("Z");
        assertThat(job.has("cron")).isFalse();
        assertThat(keys(job)).containsExactly("job_id", "room", "channel", "delay_seconds", "interval_seconds",
                "repeat_count", "created_at");

        long previousOffset = -1;
        for (int iteration = 1; iteration <= 3; iteration++) {
            JsonNode delivery = nextDelivery(watcher, jobId);
            assertThat(delivery.path("type").asText()).isEqualTo("message");
            assertThat(delivery.path("sender").asText()).isEqualTo("op-cron");
            assertThat(delivery.path("room").asText()).isEqualTo("cron-a");
            assertThat(delivery.path("channel").asText()).isEqualTo("ticks");
            assertThat(delivery.path("payload")).isEqualTo(payload);
            assertThat(delivery.path("metadata").path("iteration").asInt()).isEqualTo(iteration);
            long offset = delivery.path("metadata").path("offset").asLong();
            assertThat(offset).isGreaterThan(previousOffset);
            assertThat(delivery.path("metadata").path("epoch").asText()).isNotEmpty();
            previousOffset = offset;
        }
        // Done after three runs: gone from the list, and history holds exactly three deliveries.
        await().atMost(T).until(() -> !listedIds(alice).contains(jobId));
        JsonNode history = ok(alice, "history", args("room", "cron-a", "channel", "ticks"));
        assertThat(history.path("history")).hasSize(3)
                .allSatisfy(entry -> assertThat(entry.path("sender").asText()).isEqualTo("op-cron"));
    }

    @Test
    void aCancelledJobDeliversNothingAfterTheCancelReply() throws Exception {
        TestClient watcher = member("cron-b", "ticks");
        TestClient alice = connect("alice", "user");
        String jobId = ok(alice, "op.cron.schedule", args("room", "cron-b", "channel", "ticks",
                "payload", TestClient.object().put("n", 1), "delay_seconds", 0, "interval_seconds", 0.1,
                "repeat_count", 1000)).path("job_id").asText();
        nextDelivery(watcher, jobId);
        nextDelivery(watcher, jobId);

        JsonNode cancelled = ok(alice, "op.cron.cancel", args("job_id", jobId));
        assertThat(cancelled.path("job_id").asText()).isEqualTo(jobId);
        alice.publish("cron-b", "ticks", Map.of("marker", true));
        JsonNode marker = watcher.await(f -> f.path("payload").path("marker").asBoolean(), T);
        // A sentinel due well after several more intervals would have passed: nothing of the
        // cancelled job may arrive between the marker and it.
        String sentinel = ok(alice, "op.cron.schedule", args("room", "cron-b", "channel", "ticks",
                "payload", TestClient.object().put("sentinel", true), "delay_seconds", 0.6))
                .path("job_id").asText();
        List<JsonNode> between = new ArrayList<>();
        JsonNode frame;
        while (!sentinel.equals((frame = watcher.next(T)).path("metadata").path("cron_job_id").asText())) {
            between.add(frame);
        }
        assertThat(between).noneSatisfy(f ->
                assertThat(f.path("metadata").path("cron_job_id").asText()).isEqualTo(jobId));
        assertThat(frame.path("metadata").path("offset").asLong())
                .isEqualTo(marker.path("metadata").path("offset").asLong() + 1);
        error(alice, "op.cron.cancel", args("job_id", jobId), "NOT_FOUND");
    }

    @Test
    void aCronExpressionJobFiresAtTheMatchingSeconds() throws Exception {
        TestClient watcher = member("cron-c", "every-second");
        TestClient alice = connect("alice", "user");
        JsonNode job = ok(alice, "op.cron.schedule", args("room", "cron-c", "channel", "every-second",
                "payload", TestClient.object().put("beat", true), "cron", "* * * * * *", "repeat_count", 2));
        String jobId = job.path("job_id").asText();
        assertThat(job.path("cron").asText()).isEqualTo("* * * * * *");
        assertThat(job.path("next_run_at").asText()).endsWith("Z");
        assertThat(job.path("interval_seconds").isNull()).isTrue();
        assertThat(keys(job)).containsExactly("job_id", "room", "channel", "delay_seconds", "interval_seconds",
                "repeat_count", "created_at", "cron", "next_run_at");
        assertThat(keys(ok(alice, "op.cron.list", args()).path("jobs").get(0))).containsExactly("job_id", "room",
                "channel", "delay_seconds", "interval_seconds", "repeat_count", "created_at", "cron", "next_run_at",
                "payload", "owner_client_id", "runs", "durable");
        assertThat(nextDelivery(watcher, jobId).path("metadata").path("iteration").asInt()).isEqualTo(1);
        JsonNode second = nextDelivery(watcher, jobId);
        assertThat(second.path("metadata").path("iteration").asInt()).isEqualTo(2);
        assertThat(second.path("payload").path("beat").asBoolean()).isTrue();
        await().atMost(T).until(() -> !listedIds(alice).contains(jobId));
    }

    @Test
    void badArgumentsAreValidationErrorsAndTheConnectionStaysUsable() throws Exception {
        TestClient alice = connect("alice", "user");
        ObjectNode p = TestClient.object();
        JsonNode badMinute = error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "cron", "61 * * * *"), "VALIDATION_ERROR");
        assertThat(badMinute.path("error").asText()).contains("cron").contains("minute").contains("61");
        JsonNode badSecond = error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "cron", "*/99 * * * * *"), "VALIDATION_ERROR");
        assertThat(badSecond.path("error").asText()).contains("second");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "cron", "* * *"), "VALIDATION_ERROR");
        JsonNode repeat = error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "repeat_count", 3), "VALIDATION_ERROR");
        assertThat(repeat.path("error").asText()).contains("'repeat_count' greater than 1 needs 'interval_seconds'");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x"), "VALIDATION_ERROR");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", "text"),
                "VALIDATION_ERROR");
        error(alice, "op.cron.schedule", args("room", "cron-d", "payload", p), "VALIDATION_ERROR");
        JsonNode fast = error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "interval_seconds", 0.001, "repeat_count", 2), "VALIDATION_ERROR");
        assertThat(fast.path("error").asText()).contains("'interval_seconds' must be between 0.1 and");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "delay_seconds", -1), "VALIDATION_ERROR");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "interval_seconds", 1, "repeat_count", 1001), "VALIDATION_ERROR");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "x", "payload", p,
                "cron", "* * * * * *", "interval_seconds", 1), "VALIDATION_ERROR");
        error(alice, "op.cron.schedule", args("room", "cron-d", "channel", "pm", "payload", p), "VALIDATION_ERROR");
        error(alice, "op.cron.cancel", args(), "VALIDATION_ERROR");
        assertThat(listedIds(alice)).isEmpty();
        assertThat(alice.command("ping", null).get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void ownersSeeAndCancelTheirOwnJobsAndAdminsEveryJob() throws Exception {
        TestClient alice = connect("alice", "user");
        TestClient bob = connect("bob", "user");
        TestClient admin = connect("root", "admin");
        String aliceJob = ok(alice, "op.cron.schedule", args("room", "cron-e", "channel", "x",
                "payload", TestClient.object(), "delay_seconds", 3600)).path("job_id").asText();
        String bobJob = ok(bob, "op.cron.schedule", args("room", "cron-e", "channel", "x",
                "payload", TestClient.object(), "delay_seconds", 3600)).path("job_id").asText();

        JsonNode aliceList = ok(alice, "op.cron.list", args());
        assertThat(aliceList.path("count").asInt()).isEqualTo(1);
        JsonNode entry = aliceList.path("jobs").get(0);
        assertThat(entry.path("job_id").asText()).isEqualTo(aliceJob);
        assertThat(entry.path("owner_client_id").asText()).isEqualTo(alice.clientId());
        assertThat(entry.path("runs").asInt()).isZero();
        assertThat(entry.path("next_run_at").asText()).endsWith("Z");
        assertThat(entry.path("durable").asBoolean()).isFalse();
        assertThat(keys(entry)).containsExactly("job_id", "room", "channel", "delay_seconds", "interval_seconds",
                "repeat_count", "created_at", "payload", "owner_client_id", "runs", "next_run_at", "durable", "cron");
        assertThat(listedIds(bob)).containsExactly(bobJob);
        assertThat(listedIds(admin)).contains(aliceJob, bobJob);

        error(bob, "op.cron.cancel", args("job_id", aliceJob), "NOT_FOUND");
        error(alice, "op.cron.cancel", args("job_id", "cron_000000000000"), "NOT_FOUND");
        ok(admin, "op.cron.cancel", args("job_id", aliceJob));
        ok(bob, "op.cron.cancel", args("job_id", bobJob));
        assertThat(listedIds(admin)).doesNotContain(aliceJob, bobJob);
    }

    @Test
    void schedulingNeedsPublishPermissionAndDurableJobsNeedAnAdmin() throws Exception {
        TestClient alice = connect("alice", "user");
        ObjectNode p = TestClient.object();
        JsonNode refused = error(alice, "op.cron.schedule", args("room", "science", "channel", "general",
                "payload", p), "AUTHORIZATION_ERROR");
        assertThat(refused.path("error").asText()).contains("Not allowed to publish to science:general");
        error(alice, "op.cron.schedule", args("room", "cron-f", "channel", "x", "payload", p, "durable", true),
                "AUTHORIZATION_ERROR");
        assertThat(listedIds(alice)).isEmpty();
    }

    @Test
    void aConnectionHoldsAtMostItsShareOfJobs() throws Exception {
        TestClient carol = connect("carol", "user");
        for (int i = 0; i < 3; i++) {
            ok(carol, "op.cron.schedule", args("room", "cron-g", "channel", "x", "payload", TestClient.object(),
                    "delay_seconds", 3600));
        }
        JsonNode full = error(carol, "op.cron.schedule", args("room", "cron-g", "channel", "x",
                "payload", TestClient.object(), "delay_seconds", 3600), "CONFLICT");
        assertThat(full.path("error").asText()).contains("ARQONBUS_CRON_MAX_JOBS_PER_CLIENT");
    }

    @Test
    void aDisconnectCancelsTheOwnersJobsButNotDurableOnes() throws Exception {
        TestClient alice = connect("alice", "user");
        TestClient root = connect("root", "admin");
        TestClient auditor = connect("auditor", "admin");
        String aliceJob = ok(alice, "op.cron.schedule", args("room", "cron-h", "channel", "x",
                "payload", TestClient.object(), "delay_seconds", 3600)).path("job_id").asText();
        JsonNode durable = ok(root, "op.cron.schedule", args("room", "cron-h", "channel", "x",
                "payload", TestClient.object(), "delay_seconds", 3600, "durable", true));
        String durableJob = durable.path("job_id").asText();
        assertThat(durable.path("durable").asBoolean()).isTrue();
        assertThat(keys(durable)).containsExactly("job_id", "room", "channel", "delay_seconds", "interval_seconds",
                "repeat_count", "created_at", "durable");
        String rootId = root.clientId();
        assertThat(listedIds(auditor)).contains(aliceJob, durableJob);

        alice.close();
        root.close();
        await().atMost(T).until(() -> !listedIds(auditor).contains(aliceJob));
        JsonNode kept = null;
        for (JsonNode job : ok(auditor, "op.cron.list", args()).path("jobs")) {
            if (job.path("job_id").asText().equals(durableJob)) {
                kept = job;
            }
        }
        assertThat(kept).as("the durable job outlives its owner").isNotNull();
        assertThat(kept.path("owner_client_id").asText()).isEqualTo(rootId);
        assertThat(keys(kept)).containsExactly("job_id", "room", "channel", "delay_seconds", "interval_seconds",
                "repeat_count", "created_at", "durable", "payload", "owner_client_id", "runs", "next_run_at", "cron");
        ok(auditor, "op.cron.cancel", args("job_id", durableJob));
    }
}
