package io.arqonbus.examples.sdk;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.PublishOptions;
import io.arqonbus.client.RecoveryFailure;
import io.arqonbus.client.SubscribedEvent;
import io.arqonbus.client.SubscriptionListener;
import io.arqonbus.protocol.Envelope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A chat room on the Java SDK: everyone in {@code chat:<channel>} sees what the others say, and a
 * member whose connection drops gets the lines it missed when it is back.
 *
 * <p>Run with a bus on 9100 ({@code ./mvnw -q -pl arqonbus-examples exec:java
 * -Dexec.mainClass=io.arqonbus.examples.sdk.Chat -Dexec.args="ws://127.0.0.1:9100/ lobby alice"}),
 * type lines, Ctrl-D to leave. Arguments: {@code [uri [channel [name]]]}.
 */
public final class Chat implements AutoCloseable {
    /** The room every chat channel is in. */
    public static final String ROOM = "chat";

    /** One line said in the chat. */
    public record Line(String from, String text, long offset) {
    }

    private final ArqonBusClient client;
    private final String channel;
    private final String name;

    private Chat(ArqonBusClient client, String channel, String name) {
        this.client = client;
        this.channel = channel;
        this.name = name;
    }

    /**
     * Connects, joins {@code chat:<channel>} and hands every line of the others to {@code onLine},
     * also those said while this member was reconnecting. Completes once joined.
     */
    public static CompletableFuture<Chat> join(URI uri, String channel, String name, Consumer<Line> onLine) {
        ArqonBusClient client = ArqonBusClient.builder(uri).build();
        Chat chat = new Chat(client, channel, name);
        CompletableFuture<Chat> joined = new CompletableFuture<>();
        client.subscribe(ROOM, channel, new SubscriptionListener() {
            @Override
            public void onSubscribed(SubscribedEvent event) {
                joined.complete(chat);
            }

            @Override
            public void onMessage(Envelope message) {
                onLine.accept(new Line(message.payload().path("name").asText("?"),
                        message.payload().path("text").asText(""), message.position().offset()));
            }

            @Override
            public void onRecoveryFailed(RecoveryFailure failure) {
                onLine.accept(new Line("arqonbus", "(" + failure.missed() + " lines were missed)", -1));
            }
        });
        client.connect().whenComplete((v, e) -> {
            if (e != null) {
                joined.completeExceptionally(e);
            }
        });
        return joined;
    }

    /** The client id the bus gave this member's current connection. */
    public String clientId() {
        return client.clientId();
    }

    /** Says a line; completes once the bus stored it (the ack's offset). */
    public CompletableFuture<Long> say(String text) {
        return client.publish(ROOM, channel, JsonNodeFactory.instance.objectNode().put("name", name).put("text", text),
                PublishOptions.durable()).thenApply(ack -> ack.offset());
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:9100/");
        String channel = args.length > 1 ? args[1] : "lobby";
        String name = args.length > 2 ? args[2] : "guest";
        try (Chat chat = join(uri, channel, name, line -> System.out.println(line.from() + ": " + line.text())).join()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                chat.say(line).join();
            }
        }
    }
}
