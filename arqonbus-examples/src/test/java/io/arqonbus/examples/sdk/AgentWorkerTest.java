package io.arqonbus.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.Subscription;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A requester sends commands to the agent worker over the bus and gets each answer by task id. */
class AgentWorkerTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).httpPort(-1));

    @Test
    void theWorkerAnswersEachCommandOnTheResultsChannel() throws Exception {
        Map<String, JsonNode> answers = new ConcurrentHashMap<>();
        try (AgentWorker worker = AgentWorker.start(server.wsUri()).get(10, TimeUnit.SECONDS);
             ArqonBusClient requester = ArqonBusClient.builder(server.wsUri()).build()) {
            requester.connect().get(10, TimeUnit.SECONDS);
            Subscription results = requester.subscribe(AgentWorker.ROOM, AgentWorker.RESULTS,
                    m -> answers.put(m.payload().path("task_id").asText(), m.payload()));
            await().atMost(Duration.ofSeconds(20)).until(() -> results.state() == Subscription.State.SUBSCRIBED);
            var sum = JsonNodeFactory.instance.objectNode().put("task_id", "t1").put("command", "sum");
            sum.putArray("args").add(1).add(2).add(3.5);
            requester.publish(AgentWorker.ROOM, AgentWorker.REQUESTS, sum);
            requester.publish(AgentWorker.ROOM, AgentWorker.REQUESTS, sum); // asked twice: answered twice, stored once
            var upper = JsonNodeFactory.instance.objectNode().put("task_id", "t2").put("command", "upper");
            upper.putObject("args").put("text", "quiet");
            requester.publish(AgentWorker.ROOM, AgentWorker.REQUESTS, upper);
            var unknown = JsonNodeFactory.instance.objectNode().put("task_id", "t3").put("command", "fly");
            requester.publish(AgentWorker.ROOM, AgentWorker.REQUESTS, unknown);
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.keySet().containsAll(java.util.List.of("t1", "t2", "t3")));

            assertThat(answers.get("t1").path("result").asDouble()).isEqualTo(6.5);
            assertThat(answers.get("t2").path("result").asText()).isEqualTo("QUIET");
            assertThat(answers.get("t3").path("error").asText()).isEqualTo("unknown command 'fly' (known: sum, upper)");
            // Answers to a repeated task are stored once: its idempotency key is the task id.
            var history = requester.command("history", JsonNodeFactory.instance.objectNode()
                    .put("room", AgentWorker.ROOM).put("channel", AgentWorker.RESULTS).put("limit", 100))
                    .get(10, TimeUnit.SECONDS).payload().path("data");
            assertThat(history.path("count").asInt()).isEqualTo(3);
        }
    }
}
