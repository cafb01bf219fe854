package io.arqonbus.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.ArqonBusClientBuilder;
import io.arqonbus.client.ArqonBusException;
import io.arqonbus.client.ClientState;
import io.arqonbus.client.ConnectionEvent;
import io.arqonbus.client.ReconnectPolicy;
import io.arqonbus.protocol.Envelope;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arqon tail}: opens a bus WebSocket and prints the frames that arrive, one per line (protocol
 * §11). Without {@code --room} it behaves as the original CLI: the welcome frame is the first frame
 * printed. With {@code --room}/{@code --channel} it first joins that channel and prints what
 * arrives after the join (the welcome and the join's own replies are not printed or counted).
 */
@Command(name = "tail",
        description = {"Open a bus WebSocket and print the frames that arrive, one per line.",
                "Exit 1 with 'Timed out waiting for message' when fewer than --limit frames arrive in time."})
public final class TailCommand implements Callable<Integer> {
    static final String WS_URL_ENV = "ARQONBUS_WS_URL";
    static final String DEFAULT_WS_URL = "ws://127.0.0.1:9100";
    static final String JWT_ENV = "ARQONBUS_AUTH_JWT";
    /** How often the wait loop checks whether the connection has ended. */
    private static final Duration POLL_SLICE = Duration.ofMillis(200);
    /** Connect timeout when {@code --timeout-seconds 0} asks for no receive timeout. */
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--ws-url", paramLabel = "URL",
            description = "Bus WebSocket URL (env ARQONBUS_WS_URL, default " + DEFAULT_WS_URL + ").")
    String wsUrl;

    @Option(names = "--jwt", paramLabel = "TOKEN",
            description = "Bearer token sent as 'Authorization: Bearer TOKEN' (env ARQONBUS_AUTH_JWT).")
    String jwt;

    @Option(names = "--header", paramLabel = "KEY:VALUE",
            description = "Extra handshake header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--room", paramLabel = "ROOM",
            description = "Join this room's channel first (with --channel, or as ROOM:CHANNEL).")
    String room;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "The channel to join (needs --room).")
    String channel;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1",
            description = "Frames to print before exiting; 0 = until interrupted or closed (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "Connect timeout and longest wait for each frame; 0 = wait forever (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--send", paramLabel = "JSON",
            description = "A JSON object to send right after connecting (and joining).")
    String send;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Trust exactly the certificates of this PEM file for wss:// (a private CA or the "
                    + "server's self-signed certificate; env " + TrustedCa.ENV + ", default: the JDK's trust store).")
    String caFile;

    @Option(names = "--raw", description = "Print each frame as compact JSON with sorted keys.")
    boolean raw;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Request request = validate();
        PrintWriter out = spec.commandLine().getOut();
        String ca = caFile != null ? caFile : parent.environment().getenv(TrustedCa.ENV, null);
        Frames frames = new Frames();
        ArqonBusClient client = connect(request, ca, frames);
        try {
            Set<String> ownRequestIds = new HashSet<>();
            int printed = 0;
            if (request.room() != null) {
                ownRequestIds.add(join(client, request));
            } else {
                printed += print(out, frames.welcome.join());
            }
            if (request.send() != null) {
                await(client.sendJson(request.send().toString()), request.timeout(), "sending --send");
            }
            while (limit == 0 || printed < limit) {
                JsonNode frame = frames.next(request.timeout());
                if (isOwnReply(frame, ownRequestIds)) {
                    continue;
                }
                printed += print(out, frame);
            }
            return ExitCodes.OK;
        } finally {
            client.close();
        }
    }

    /**
     * What the connection received: the welcome apart, then every frame in a bounded queue (a
     * terminal that cannot keep up ends the command rather than growing memory), and how it ended.
     */
    private static final class Frames {
        private static final int CAPACITY = 65_536;
        final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        final BlockingQueue<JsonNode> queue = new ArrayBlockingQueue<>(CAPACITY);
        final CompletableFuture<ConnectionEvent> end = new CompletableFuture<>();
        volatile boolean overflowed;

        void onFrame(String json) {
            JsonNode frame;
            try {
                frame = MAPPER.readTree(json);
            } catch (IOException e) {
                frame = MAPPER.getNodeFactory().textNode(json);
            }
            if (!welcome.isDone()) {
                welcome.complete(frame);
            } else if (!queue.offer(frame)) {
                overflowed = true;
            }
        }

        void onEvent(ConnectionEvent event) {
            if (event.state() == ClientState.CLOSED) {
                end.complete(event);
            }
        }

        /** The next frame; fails when the connection ends or nothing arrives within {@code timeout}. */
        JsonNode next(Duration timeout) {
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            while (true) {
                if (overflowed) {
                    throw CliException.failure("Receive failed: more than " + CAPACITY
                            + " frames arrived faster than they could be printed");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw CliException.failure("Timed out waiting for message");
                }
                JsonNode frame;
                try {
                    frame = queue.poll(Math.min(left, POLL_SLICE.toNanos()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CliException.failure("Interrupted while waiting for message");
                }
                if (frame != null) {
                    return frame;
                }
                if (end.isDone()) {
                    JsonNode last = queue.poll();
                    if (last != null) {
                        return last;
                    }
                    ConnectionEvent status = end.join();
                    throw CliException.failure("Receive failed: connection closed (" + status.code() + " "
                            + status.reason() + ")");
                }
            }
        }
    }

    private int print(PrintWriter out, JsonNode frame) {
        out.println(TailFormat.format(frame, raw));
        out.flush();
        return 1;
    }

    /** The welcome is not in the queue; the join's {@code response} and {@code command_response} are. */
    private static boolean isOwnReply(JsonNode frame, Set<String> ownRequestIds) {
        String type = frame.path("type").asText();
        return ("response".equals(type) && ownRequestIds.contains(frame.path("request_id").asText()))
                || ("command_response".equals(type) && ownRequestIds.contains(frame.path("id").asText()));
    }

    private record Request(URI uri, Map<String, String> headers, String room, String channel, JsonNode send,
            Duration timeout) {
    }

    private Request validate() {
        if (limit < 0) {
            throw CliException.usage("--limit: " + limit + " (expected: >= 0)");
        }
        if (!(timeoutSeconds >= 0) || Double.isInfinite(timeoutSeconds)) {
            throw CliException.usage("--timeout-seconds: " + timeoutSeconds + " (expected: >= 0)");
        }
        String url = wsUrl != null ? wsUrl : parent.environment().getenv(WS_URL_ENV, DEFAULT_WS_URL);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Invalid URL " + url + ": " + e.getMessage());
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw CliException.usage("Invalid URL " + url + ": expected a ws:// or wss:// URL");
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String item : headers) {
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw CliException.usage("Invalid header format '" + item + "', expected 'Key:Value'");
            }
            String key = item.substring(0, colon).strip();
            if (key.isEmpty()) {
                throw CliException.usage("Invalid header '" + item + "': header key cannot be empty");
            }
            parsed.put(key, item.substring(colon + 1).strip());
        }
        String token = jwt != null ? jwt : parent.environment().getenv(JWT_ENV, null);
        if (token != null && !token.isBlank()) {
            parsed.put("Authorization", "Bearer " + token);
        }
        String joinRoom = room;
        String joinChannel = channel;
        if (joinRoom != null && joinChannel == null && joinRoom.indexOf(':') > 0) {
            joinChannel = joinRoom.substring(joinRoom.indexOf(':') + 1);
            joinRoom = joinRoom.substring(0, joinRoom.indexOf(':'));
        }
        if ((joinRoom == null) != (joinChannel == null) || (joinRoom != null && (joinRoom.isBlank() || joinChannel.isBlank()))) {
            throw CliException.usage("--room and --channel go together (or --room ROOM:CHANNEL)");
        }
        JsonNode sendJson = null;
        if (send != null) {
            try {
                sendJson = parse(send);
            } catch (UncheckedIOException e) {
                throw CliException.usage("--send is not valid JSON: " + e.getCause().getMessage());
            }
            if (!sendJson.isObject()) {
                throw CliException.usage("--send payload must be a JSON object");
            }
        }
        Duration timeout = timeoutSeconds == 0 ? null : Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        return new Request(uri, parsed, joinRoom, joinChannel, sendJson, timeout);
    }

    private static ArqonBusClient connect(Request request, String caFile, Frames frames) {
        Duration timeout = request.timeout() != null ? request.timeout() : DEFAULT_CONNECT_TIMEOUT;
        ArqonBusClient client;
        try {
            ArqonBusClientBuilder builder = ArqonBusClient.builder(request.uri())
                    .httpClient(TrustedCa.client(caFile, Duration.ofSeconds(10)))
                    .reconnect(ReconnectPolicy.none())
                    .connectTimeout(timeout)
                    .commandTimeout(request.timeout() != null ? request.timeout() : Duration.ofDays(365))
                    .onFrame((frame, json) -> frames.onFrame(json))
                    .onStateChange(frames::onEvent);
            request.headers().forEach(builder::header);
            client = builder.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Cannot use these headers: " + e.getMessage());
        }
        CompletableFuture<Void> connecting = client.connect();
        try {
            connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return client;
        } catch (ExecutionException e) {
            client.close();
            throw CliException.failure("Failed to connect to " + request.uri() + ": " + describe(e.getCause()));
        } catch (TimeoutException e) {
            client.close();
            throw CliException.failure("Failed to connect to " + request.uri() + ": timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw CliException.failure("Interrupted while connecting");
        }
    }

    /** Joins and returns the join command's request id. */
    private static String join(ArqonBusClient client, Request request) {
        ObjectNode args = MAPPER.createObjectNode().put("room", request.room()).put("channel", request.channel());
        CompletableFuture<Envelope> joining = client.command("join_channel", args);
        Envelope reply;
        try {
            reply = request.timeout() == null ? joining.get()
                    : joining.get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArqonBusException refused && refused.isServerRefusal()) {
                throw CliException.failure("Could not join " + request.room() + ":" + request.channel() + ": "
                        + refused.code() + " " + refused.getMessage());
            }
            throw CliException.failure("Failed joining " + request.room() + ":" + request.channel() + ": "
                    + describe(e.getCause()));
        } catch (TimeoutException e) {
            throw CliException.failure("Timed out joining " + request.room() + ":" + request.channel());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("Interrupted joining " + request.room() + ":" + request.channel());
        }
        return reply.requestId();
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return timeout == null ? future.get() : future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw CliException.failure("Failed " + what + ": " + describe(e.getCause()));
        } catch (TimeoutException e) {
            throw CliException.failure("Timed out " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("Interrupted " + what);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 8 && root.getCause() != null; i++) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
