package io.arqonbus.examples.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.OverflowPolicy;
import io.arqonbus.client.PublishOptions;
import io.arqonbus.client.SubscribedEvent;
import io.arqonbus.client.SubscriptionListener;
import io.arqonbus.client.SubscriptionOptions;
import io.arqonbus.protocol.Envelope;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * An agent worker on the Java SDK: it takes commands from {@code agents:requests}
 * ({@code {"task_id", "command", "args"}}) and answers each on {@code agents:results}
 * ({@code {"task_id", "result"}} or {@code {"task_id", "error"}}) with a durable publication whose
 * idempotency key is the task id, so an answer sent again after a reconnect is stored once.
 * Commands: {@code sum} (numbers in {@code args}), {@code upper} (the text {@code args.text}).
 * Requests wait in a bounded buffer; when it is full the newest are refused by the policy
 * {@link OverflowPolicy#DROP_NEWEST} and the requester retries on its timeout.
 *
 * <p>Run with a bus on 9100: {@code ./mvnw -q -pl arqonbus-examples exec:java
 * -Dexec.mainClass=io.arqonbus.examples.sdk.AgentWorker -Dexec.args="ws://127.0.0.1:9100/"}.
 */
public final class AgentWorker implements AutoCloseable {
    public static final String ROOM = "agents";
    public static final String REQUESTS = "requests";
    public static final String RESULTS = "results";

    private final ArqonBusClient client;

    private AgentWorker(ArqonBusClient client) {
        this.client = client;
    }

    /** Starts a worker; completes once it listens on {@code agents:requests}. */
    public static CompletableFuture<AgentWorker> start(URI uri) {
        ArqonBusClient client = ArqonBusClient.builder(uri).build();
        AgentWorker worker = new AgentWorker(client);
        CompletableFuture<AgentWorker> listening = new CompletableFuture<>();
        client.subscribe(ROOM, REQUESTS, SubscriptionOptions.defaults().bufferCapacity(256)
                .overflow(OverflowPolicy.DROP_NEWEST), new SubscriptionListener() {
                    @Override
                    public void onMessage(Envelope request) {
                        worker.handle(request);
                    }

                    @Override
                    public void onSubscribed(SubscribedEvent event) {
                        listening.complete(worker);
                    }
                });
        client.connect().whenComplete((v, e) -> {
            if (e != null) {
                listening.completeExceptionally(e);
            }
        });
        return listening;
    }

    private void handle(Envelope request) {
        JsonNode task = request.payload();
        String taskId = task.path("task_id").asText("");
        if (taskId.isEmpty()) {
            return;
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("task_id", taskId);
        try {
            answer.set("result", run(task.path("command").asText(), task.path("args")));
        } catch (IllegalArgumentException e) {
            answer.put("error", e.getMessage());
        }
        client.publish(ROOM, RESULTS, answer, PublishOptions.durable().idempotencyKey("result-" + taskId));
    }

    /** Runs one command. */
    static JsonNode run(String command, JsonNode args) {
        return switch (command) {
            case "sum" -> {
                double sum = 0;
                for (JsonNode n : args) {
                    if (!n.isNumber()) {
                        throw new IllegalArgumentException("sum takes numbers, not " + n);
                    }
                    sum += n.asDouble();
                }
                yield JsonNodeFactory.instance.numberNode(sum);
            }
            case "upper" -> JsonNodeFactory.instance.textNode(args.path("text").asText().toUpperCase(java.util.Locale.ROOT));
            default -> throw new IllegalArgumentException("unknown command '" + command + "' (known: sum, upper)");
        };
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:9100/");
        try (AgentWorker worker = start(uri).join()) {
            System.out.println("worker ready on " + ROOM + ":" + REQUESTS + " (Ctrl-C to stop)");
            new CountDownLatch(1).await();
        }
    }
}
