package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The idempotency window's arrays against a plain insertion-ordered map of the same rules: bounded
 * by count and age, oldest first, unsettled appends settling or being refused, refused keys forgotten.
 */
class IdempotencyWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void remembersFindsAndForgetsAcrossGrowthCountAndAge() {
        IdempotencyWindow window = new IdempotencyWindow(Duration.ofSeconds(30), 1_000);
        Map<String, CompletableFuture<StreamPosition>> model = new LinkedHashMap<>();
        Map<String, Instant> seenAt = new LinkedHashMap<>();
        List<CompletableFuture<StreamPosition>> open = new ArrayList<>();
        Map<CompletableFuture<StreamPosition>, String> keyOf = new LinkedHashMap<>();
        Random random = new Random(42);
        Instant now = T0;
        long offset = 0;
        for (int step = 0; step < 60_000; step++) {
            now = now.plusMillis(random.nextInt(3));
            String key = "k-" + random.nextInt(3_000) + (random.nextBoolean() ? "" : "-longer-key-é");
            int op = random.nextInt(10);
            if (op < 5) {
                // a publication: a duplicate answers the first one's position, else it is remembered
                expire(model, seenAt, now.minusSeconds(30));
                CompletableFuture<StreamPosition> found = window.find(key, now);
                CompletableFuture<StreamPosition> expected = model.get(key);
                if (expected == null) {
                    assertThat(found).as("step %d key %s", step, key).isNull();
                    CompletableFuture<StreamPosition> position = random.nextInt(3) == 0
                            ? new CompletableFuture<>()
                            : CompletableFuture.completedFuture(new StreamPosition(++offset, "e1"));
                    window.remember(key, position, now);
                    model.put(key, position);
                    seenAt.put(key, now);
                    while (model.size() > 1_000) {
                        String oldest = model.keySet().iterator().next();
                        model.remove(oldest);
                        seenAt.remove(oldest);
                    }
                    if (!position.isDone()) {
                        open.add(position);
                        keyOf.put(position, key);
                    }
                } else {
                    assertThat(found).as("step %d key %s", step, key).isNotNull();
                    if (expected.isDone()) {
                        assertThat(found.join()).isEqualTo(expected.join());
                    } else {
                        assertThat(found).isSameAs(expected);
                    }
                }
            } else if (op < 8 && !open.isEmpty()) {
                // an append completes: stored, or refused (then forgotten, as BusChannel does)
                CompletableFuture<StreamPosition> position = open.remove(random.nextInt(Math.min(open.size(), 4)));
                String owner = keyOf.remove(position);
                if (random.nextInt(5) == 0) {
                    position.completeExceptionally(new IllegalStateException("refused"));
                    if (random.nextBoolean()) {
                        window.forget(owner, position);
                    } else {
                        window.find(owner, now); // the refusal seen before its forget call runs
                    }
                    if (model.get(owner) == position) {
                        model.remove(owner);
                        seenAt.remove(owner);
                    }
                } else {
                    position.complete(new StreamPosition(++offset, "e2"));
                }
            } else if (op == 9) {
                now = now.plusSeconds(random.nextInt(8));
            }
        }
        expire(model, seenAt, now.minusSeconds(30));
        for (String key : List.copyOf(model.keySet())) {
            CompletableFuture<StreamPosition> found = window.find(key, now);
            if (model.get(key).isCompletedExceptionally()) {
                continue;
            }
            assertThat(found).as(key).isNotNull();
        }
    }

    @Test
    void aRefusedAppendThatSettlesBeforeItIsForgottenIsNotAnswered() {
        IdempotencyWindow window = new IdempotencyWindow(Duration.ofMinutes(5), 100);
        CompletableFuture<StreamPosition> refused = new CompletableFuture<>();
        window.remember("a", refused, T0);
        refused.completeExceptionally(new IllegalStateException("store unavailable"));
        assertThat(window.find("a", T0)).isNull();
        window.forget("a", refused);
        window.remember("a", CompletableFuture.completedFuture(new StreamPosition(3, "e")), T0);
        assertThat(window.find("a", T0).join()).isEqualTo(new StreamPosition(3, "e"));
        assertThat(window.size()).isEqualTo(1);
    }

    @Test
    void oldKeysAreForgottenByAgeAndByCount() {
        IdempotencyWindow window = new IdempotencyWindow(Duration.ofSeconds(10), 3);
        for (int i = 1; i <= 4; i++) {
            window.remember("k" + i, CompletableFuture.completedFuture(new StreamPosition(i, "e")), T0.plusSeconds(i));
        }
        assertThat(window.find("k1", T0.plusSeconds(5))).isNull();
        assertThat(window.find("k2", T0.plusSeconds(5)).join().offset()).isEqualTo(2);
        assertThat(window.find("k2", T0.plusSeconds(13))).isNull();
        assertThat(window.find("k4", T0.plusSeconds(13)).join().offset()).isEqualTo(4);
        assertThat(window.size()).isEqualTo(2);
    }

    private static void expire(Map<String, CompletableFuture<StreamPosition>> model, Map<String, Instant> seenAt,
            Instant oldest) {
        for (Iterator<Map.Entry<String, Instant>> it = seenAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (!e.getValue().isBefore(oldest)) {
                return;
            }
            model.remove(e.getKey());
            it.remove();
        }
    }
}
