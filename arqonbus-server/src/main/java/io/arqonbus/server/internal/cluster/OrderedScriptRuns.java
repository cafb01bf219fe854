package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.internal.async.Failures;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one Lua script on one connection by its digest ({@code EVALSHA}), in the order the runs are
 * asked for, and keeps that order when Redis lost its script cache (a restart): a run answered
 * {@code NOSCRIPT} is sent again with the script itself ({@code EVAL}, which loads it), and every
 * run asked for meanwhile waits until each run sent before has been answered, then goes out after
 * those sent again. Without that, a run sent after a failed one could take its place in the stream
 * before the failed one's second try (a later offset for an earlier publication).
 *
 * <p>The order of the writes is kept by this object's monitor, held while a command is handed to
 * Lettuce (which does not wait for Redis); results are completed outside it.
 */
final class OrderedScriptRuns {
    private final byte[] script;
    private final String digest;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean recovering;

    OrderedScriptRuns(byte[] script, String digest) {
        this.script = script;
        this.digest = digest;
    }

    /** Runs the script with these keys and arguments; completes with its reply (a list). */
    CompletableFuture<List<Object>> run(StatefulRedisConnection<byte[], byte[]> conn, byte[][] keys, byte[][] args) {
        CompletableFuture<List<Object>> reply = new CompletableFuture<>();
        CompletableFuture<List<Object>> sent;
        synchronized (this) {
            if (recovering) {
                waiting.addLast(() -> eval(conn, keys, args, reply));
                return reply;
            }
            inFlight++;
            sent = send(() -> conn.async().<List<Object>>evalsha(digest, ScriptOutputType.MULTI, keys, args)
                    .toCompletableFuture());
        }
        sent.whenComplete((result, error) -> answered(conn, keys, args, reply, result, error));
        return reply;
    }

    /** Whether runs wait behind runs sent again after a lost script cache (for tests). */
    synchronized boolean recovering() {
        return recovering;
    }

    private void answered(StatefulRedisConnection<byte[], byte[]> conn, byte[][] keys, byte[][] args,
            CompletableFuture<List<Object>> reply, List<Object> result, Throwable error) {
        List<Runnable> release = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            if (error != null && Failures.unwrap(error) instanceof RedisNoScriptException) {
                recovering = true;
                eval(conn, keys, args, reply); // sent before any run that waits
            } else if (error != null) {
                release.add(() -> reply.completeExceptionally(Failures.unwrap(error)));
            } else {
                release.add(() -> reply.complete(result));
            }
            if (recovering && inFlight == 0) {
                while (!waiting.isEmpty()) {
                    waiting.pollFirst().run();
                }
                recovering = false;
            }
        }
        release.forEach(Runnable::run);
    }

    /** Sends the script itself (loading it again); called under the monitor. */
    private void eval(StatefulRedisConnection<byte[], byte[]> conn, byte[][] keys, byte[][] args,
            CompletableFuture<List<Object>> reply) {
        send(() -> conn.async().<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).toCompletableFuture())
                .whenComplete((result, error) -> {
                    if (error != null) {
                        reply.completeExceptionally(Failures.unwrap(error));
                    } else {
                        reply.complete(result);
                    }
                });
    }

    private static CompletableFuture<List<Object>> send(java.util.function.Supplier<CompletableFuture<List<Object>>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
