package io.arqonbus.server.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Commands beyond the bound wait, in order, and go out as replies come back. */
class BoundedPipelineTest {
    private final List<CompletableFuture<Integer>> sent = new ArrayList<>();
    private final List<Integer> sendOrder = new ArrayList<>();

    private CompletableFuture<Integer> submit(BoundedPipeline pipeline, int n) {
        return pipeline.submit(() -> {
            CompletableFuture<Integer> reply = new CompletableFuture<>();
            sent.add(reply);
            sendOrder.add(n);
            return reply;
        });
    }

    @Test
    void sendsAtMostTheBoundAndTheRestInOrderAsRepliesComeBack() {
        BoundedPipeline pipeline = new BoundedPipeline(3, Runnable::run);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        List<Integer> completed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(submit(pipeline, i).whenComplete((v, e) -> completed.add(v)));
        }
        assertThat(sendOrder).containsExactly(0, 1, 2);
        assertThat(pipeline.waiting()).isEqualTo(7);

        for (int i = 0; i < 10; i++) {
            sent.get(i).complete(i);
        }
        assertThat(sendOrder).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(completed).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(pipeline.waiting()).isZero();
        assertThat(results).allMatch(CompletableFuture::isDone);
    }

    @Test
    void aCommandThatThrowsFailsItsResultAndFreesItsPlace() {
        BoundedPipeline pipeline = new BoundedPipeline(1, Runnable::run);
        CompletableFuture<Integer> broken = pipeline.submit(() -> {
            throw new IllegalStateException("refused");
        });
        CompletableFuture<Integer> next = submit(pipeline, 1);
        assertThat(broken).isCompletedExceptionally();
        assertThat(sendOrder).containsExactly(1);
        sent.get(0).complete(1);
        assertThat(next).isCompletedWithValue(1);
    }

    @Test
    void aSentCommandThatTimesOutFailsThoseStillWaitingAtOnce() {
        BoundedPipeline pipeline = new BoundedPipeline(2, Runnable::run);
        CompletableFuture<Integer> first = submit(pipeline, 0);
        CompletableFuture<Integer> second = submit(pipeline, 1);
        CompletableFuture<Integer> waitingOne = submit(pipeline, 2);
        CompletableFuture<Integer> waitingTwo = submit(pipeline, 3);

        sent.get(0).completeExceptionally(new RedisCommandTimeoutException("timed out"));
        assertThat(first).isCompletedExceptionally();
        assertThat(waitingOne).isCompletedExceptionally();
        assertThat(waitingTwo).isCompletedExceptionally();
        assertThat(sendOrder).containsExactly(0, 1);
        assertThat(second).isNotDone();

        sent.get(1).complete(1);
        CompletableFuture<Integer> later = submit(pipeline, 4);
        assertThat(sendOrder).containsExactly(0, 1, 4);
        sent.get(2).complete(4);
        assertThat(later).isCompletedWithValue(4);
    }

    @Test
    void otherFailuresLeaveTheWaitingCommandsAlone() {
        BoundedPipeline pipeline = new BoundedPipeline(1, Runnable::run);
        CompletableFuture<Integer> first = submit(pipeline, 0);
        CompletableFuture<Integer> waiting = submit(pipeline, 1);
        sent.get(0).completeExceptionally(new IllegalStateException("script missing"));
        assertThat(first).isCompletedExceptionally();
        assertThat(sendOrder).containsExactly(0, 1);
        sent.get(1).complete(1);
        assertThat(waiting).isCompletedWithValue(1);
    }
}
