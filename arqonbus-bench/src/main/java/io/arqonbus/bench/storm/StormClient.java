package io.arqonbus.bench.storm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client of the reconnect storm, across its connections: it connects (with its token),
 * waits for the welcome, joins its channel and keeps its position (offset and epoch of the join
 * reply, then of each publication it receives or publishes). Once the storm is armed, a lost
 * connection is retried as the SDKs do — full-jitter exponential backoff, counting refusals by
 * HTTP status and close code — and after the welcome the client rejoins with
 * {@code recover: {offset, epoch}}. It is back at its first welcome after the drop and recovered
 * when a rejoin says {@code recovered: true}. With several servers (a cluster), each new attempt
 * goes to the next server, as a load balancer would send it elsewhere when its node is gone.
 */
final class StormClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int index;
    private final String channelName;
    private final StormContext context;
    private final CompletableFuture<StormClient> joined = new CompletableFuture<>();
    private final ConcurrentMap<String, CompletableFuture<Long>> acks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long offset = -1;
    private volatile String epoch;
    private volatile long droppedAt;
    private volatile long backAt;
    private volatile long recoveredAt;
    private volatile boolean failed;
    private volatile Attempt current;
    private int failuresInARow;
    /** The server (index into the URLs) of the current or next connection; the next one after a loss. */
    private int server;
    private int requests;

    /** @param server the server (index into the URLs) of its first connection */
    StormClient(int index, String channelName, int server, StormContext context) {
        this.index = index;
        this.channelName = channelName;
        this.context = context;
        this.server = server;
    }

    /** Completes when the first join was answered with success (fails on a refusal or a lost connection). */
    CompletableFuture<StormClient> joined() {
        return joined;
    }

    int index() {
        return index;
    }

    String channelName() {
        return channelName;
    }

    long offset() {
        return offset;
    }

    long droppedAt() {
        return droppedAt;
    }

    long backAt() {
        return backAt;
    }

    long recoveredAt() {
        return recoveredAt;
    }

    /** Opens the first connection. */
    void start() {
        connect();
    }

    /** Closes the current connection on purpose, with no reconnect. */
    void close() {
        failed = true;
        Attempt attempt = current;
        if (attempt != null && attempt.ctx != null) {
            attempt.ctx.close();
        }
    }

    /** Whether its connection is open now. */
    boolean open() {
        Attempt attempt = current;
        return attempt != null && attempt.ctx != null && attempt.ctx.channel().isActive();
    }

    /**
     * Publishes {@code count} messages with {@code "ack":"durable"} to its channel; completes with
     * the offset of the last ack (and the client's position moves to it).
     */
    CompletableFuture<Long> publish(int count) {
        Attempt attempt = current;
        if (attempt == null || attempt.ctx == null || !attempt.welcomed) {
            return CompletableFuture.failedFuture(new IOException("client " + index + " is not connected"));
        }
        CompletableFuture<Long> last = CompletableFuture.completedFuture(-1L);
        for (int n = 0; n < count; n++) {
            String id = "arq_storm_" + context.run() + "_" + index + "_" + published.getAndIncrement();
            CompletableFuture<Long> ack = new CompletableFuture<>();
            acks.put(id, ack);
            ObjectNode frame = MAPPER.createObjectNode();
            frame.put("type", "message").put("room", context.room()).put("channel", channelName)
                    .put("ack", "durable").put("id", id);
            frame.putObject("metadata").put("idempotency_key", id);
            frame.putObject("payload").put("storm_client", index).put("storm", n);
            attempt.ctx.channel().writeAndFlush(new TextWebSocketFrame(frame.toString()));
            last = ack;
        }
        return last;
    }

    private void connect() {
        if (failed || context.stopped()) {
            return;
        }
        context.tally().attempts.increment();
        Attempt attempt = new Attempt();
        current = attempt;
        ChannelFuture future = context.connect(index, server, attempt);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                if (cause instanceof ConnectException) {
                    context.tally().connectRefused.increment();
                } else {
                    context.tally().otherConnectFailures.increment();
                    context.tally().example("connect", String.valueOf(cause));
                }
                ended(attempt, -1, cause);
            }
        });
    }

    /** The end of one connection, for whatever reason: retry when the storm is armed, else fail. */
    private void ended(Attempt attempt, int closeCode, Throwable cause) {
        if (attempt.over) {
            return;
        }
        attempt.over = true;
        for (String id : acks.keySet()) {
            CompletableFuture<Long> ack = acks.remove(id);
            if (ack != null) {
                ack.completeExceptionally(new IOException("connection lost before the ack"));
            }
        }
        if (failed || context.stopped()) {
            return;
        }
        if (!context.armed()) {
            failed = true;
            String why = cause != null ? String.valueOf(cause)
                    : "connection closed" + (closeCode > 0 ? " with " + closeCode : "") + " before the storm";
            joined.completeExceptionally(new IOException(why));
            return;
        }
        server = (server + 1) % context.servers();
        long now = System.nanoTime();
        if (droppedAt == 0) {
            droppedAt = now;
            context.dropped(now);
        }
        int delayMillis = (int) context.policy().delay(failuresInARow++, java.util.concurrent.ThreadLocalRandom.current())
                .toMillis();
        try {
            context.group().schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            failed = true;
        }
    }

    private void welcomed(Attempt attempt) {
        attempt.welcomed = true;
        ObjectNode join = MAPPER.createObjectNode();
        join.put("type", "command").put("command", "join_channel");
        ObjectNode args = join.putObject("args");
        args.put("room", context.room()).put("channel", channelName);
        long welcomedAt = System.nanoTime();
        if (context.armed() && epoch != null && offset >= 0) {
            args.putObject("recover").put("offset", offset).put("epoch", epoch);
        }
        attempt.joinId = "arq_storm_join_" + context.run() + "_" + index + "_" + requests++;
        join.put("id", attempt.joinId);
        attempt.ctx.writeAndFlush(new TextWebSocketFrame(join.toString()));
        // set after the rejoin is written, so that a publication this client makes once it is back follows it
        if (context.armed() && backAt == 0) {
            backAt = welcomedAt;
        }
    }

    private void joinReply(Attempt attempt, JsonNode frame) {
        if (!"success".equals(frame.path("status").asText())) {
            context.tally().rejoinErrors.increment();
            context.tally().example("join", frame.toString());
            if (!context.armed()) {
                failed = true;
                joined.completeExceptionally(new IOException("join_channel refused: " + frame));
            }
            return;
        }
        JsonNode data = frame.path("payload").path("data");
        if (!context.armed()) {
            position(data.path("offset").asLong(-1), data.path("epoch").asText(null));
            joined.complete(this);
            return;
        }
        failuresInARow = 0;
        context.tally().missed.add(data.path("missed").asLong(0));
        if (data.path("recovered").asBoolean(false)) {
            // the missed publications follow the reply and move the position themselves
            if (recoveredAt == 0) {
                recoveredAt = System.nanoTime();
            }
        } else {
            context.tally().notRecovered.increment();
            context.tally().example("not_recovered", frame.toString());
            position(data.path("offset").asLong(-1), data.path("epoch").asText(null));
        }
    }

    /** A publication of its channel: checked against the position (a gap or a repeat is counted), then taken. */
    private void delivered(long newOffset, String newEpoch) {
        if (newEpoch != null && newEpoch.equals(epoch) && offset >= 0) {
            if (newOffset <= offset) {
                context.tally().duplicates.increment();
                context.tally().example("duplicate", "offset " + newOffset + " at position " + offset);
                return;
            }
            if (newOffset > offset + 1) {
                context.tally().gaps.add(newOffset - offset - 1);
                context.tally().example("gap", "offset " + newOffset + " after position " + offset);
            }
        }
        position(newOffset, newEpoch);
    }

    private void position(long newOffset, String newEpoch) {
        if (newEpoch == null || newOffset < 0) {
            return;
        }
        if (!newEpoch.equals(epoch) || newOffset > offset) {
            epoch = newEpoch;
            offset = newOffset;
        }
    }

    private void text(Attempt attempt, String text) {
        if (!attempt.welcomed) {
            if (text.contains("\"welcome\"")) {
                welcomed(attempt);
            }
            return;
        }
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (IOException e) {
            return;
        }
        String type = frame.path("type").asText();
        if ("response".equals(type) && attempt.joinId != null && attempt.joinId.equals(frame.path("request_id").asText())) {
            joinReply(attempt, frame);
        } else if ("message".equals(type) && channelName.equals(frame.path("channel").asText())) {
            JsonNode metadata = frame.path("metadata");
            if (frame.path("payload").path("storm_client").asInt(-1) == index) {
                // its own publication (perhaps from an earlier connection, under another client id),
                // replayed by a recovery: its ack may have moved the position already
                position(metadata.path("offset").asLong(-1), metadata.path("epoch").asText(null));
            } else {
                delivered(metadata.path("offset").asLong(-1), metadata.path("epoch").asText(null));
            }
        } else if ("ack".equals(type)) {
            CompletableFuture<Long> ack = acks.remove(frame.path("request_id").asText());
            if (ack != null) {
                long acked = frame.path("payload").path("offset").asLong(-1);
                position(acked, frame.path("payload").path("epoch").asText(null));
                ack.complete(acked);
            }
        } else if ("error".equals(type) || "error".equals(frame.path("status").asText())) {
            CompletableFuture<Long> ack = acks.remove(frame.path("request_id").asText());
            if (ack != null) {
                ack.completeExceptionally(new IOException("publish refused: " + text));
            }
        }
    }

    /** One connection's handler. */
    final class Attempt extends SimpleChannelInboundHandler<WebSocketFrame> {
        /** Whether it was opened during the storm (not the connection the storm began by dropping). */
        private final boolean storm = context.armed();
        private ChannelHandlerContext ctx;
        private volatile boolean welcomed;
        private boolean over;
        private String joinId;
        private int closeCode = 1006;

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            this.ctx = context;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                text(this, text.content().toString(StandardCharsets.UTF_8));
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                context.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            if (StormClient.this.context.armed() && !over) {
                if (storm) {
                    StormClient.this.context.tally().closed(closeCode, welcomed);
                } else {
                    StormClient.this.context.tally().dropped(closeCode);
                }
            }
            ended(this, closeCode, null);
            super.channelInactive(context);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (cause instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
                StormClient.this.context.tally().handshakeRefused(refused.response().status().code());
                StormClient.this.context.tally().example("handshake_" + refused.response().status().code(),
                        String.valueOf(cause.getMessage()));
            }
            context.close();
        }
    }
}
