package io.arqonbus.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one command every {@code interval} from one ready connection, at most one awaiting its
 * reply, cycling through {@code join_channel} (its lobby), {@code presence} (its lobby),
 * {@code history} (a busy channel, 10 entries), {@code leave_channel} (its lobby) and {@code ping}:
 * the lobbies' presence changes all the time. A reply is the {@code response} whose
 * {@code request_id} is the command's id; {@code "status":"success"} counts as success, anything
 * else as a failure; no reply within {@code timeout} counts as a timeout. Runs on the connection's
 * event loop.
 */
public final class CommandCaller implements Runnable, ReplyHandler {
    private static final String[] CYCLE = {"join_channel", "presence", "history", "leave_channel", "ping"};

    private final BenchConnection connection;
    private final CommandStats stats;
    private final String idPrefix;
    private final String room;
    private final String lobby;
    private final String historyChannel;
    private final long timeoutNanos;
    private long next;
    private String waitingId;
    private String waitingCommand;
    private long sentAt;
    private ScheduledFuture<?> task;

    /**
     * @param idPrefix       starts with {@code arq_}; letters, digits and {@code _} only
     * @param lobby          the channel of {@code room} it joins, asks the presence of and leaves
     * @param historyChannel the channel of {@code room} whose history it reads
     */
    public CommandCaller(BenchConnection connection, CommandStats stats, String idPrefix, String room, String lobby,
            String historyChannel, long timeoutNanos) {
        this.connection = connection;
        this.stats = stats;
        this.idPrefix = idPrefix;
        this.room = room;
        this.lobby = lobby;
        this.historyChannel = historyChannel;
        this.timeoutNanos = timeoutNanos;
        connection.replies(this);
    }

    /** Starts after {@code delayNanos}, then one command every {@code intervalNanos}. */
    public void start(long delayNanos, long intervalNanos) {
        Channel channel = connection.channel();
        try {
            channel.eventLoop().execute(() -> task = channel.eventLoop().scheduleAtFixedRate(this, delayNanos,
                    intervalNanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException shuttingDown) {
            // the load client is closing
        }
    }

    /** Stops sending (from any thread); a reply still on its way is counted when it comes. */
    public void stop() {
        try {
            connection.channel().eventLoop().execute(() -> {
                if (task != null) {
                    task.cancel(false);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // already stopped
        }
    }

    @Override
    public void run() {
        Channel channel = connection.channel();
        if (!channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (waitingId != null) {
            if (now - sentAt < timeoutNanos) {
                return;
            }
            stats.timedOut(waitingCommand);
            waitingId = null;
        }
        String command = CYCLE[(int) (next % CYCLE.length)];
        String id = idPrefix + next++;
        waitingId = id;
        waitingCommand = command;
        sentAt = now;
        stats.sent();
        channel.writeAndFlush(new TextWebSocketFrame(frame(command, id)), channel.voidPromise());
    }

    private String frame(String command, String id) {
        String args = switch (command) {
            case "history" -> "{\"room\":\"" + room + "\",\"channel\":\"" + historyChannel + "\",\"limit\":10}";
            case "ping" -> "{}";
            default -> "{\"room\":\"" + room + "\",\"channel\":\"" + lobby + "\"}";
        };
        return "{\"type\":\"command\",\"command\":\"" + command + "\",\"args\":" + args + ",\"id\":\"" + id + "\"}";
    }

    @Override
    public void reply(ByteBuf content) {
        if (waitingId == null) {
            return;
        }
        String text = content.toString(StandardCharsets.UTF_8);
        if (!text.contains("\"type\":\"response\"") || !text.contains("\"request_id\":\"" + waitingId + '"')) {
            return;
        }
        if (text.contains("\"status\":\"success\"")) {
            stats.succeeded(System.nanoTime() - sentAt);
        } else {
            stats.failed(text);
        }
        waitingId = null;
    }
}
