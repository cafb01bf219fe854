package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter and a ceiling. */
class ReconnectPolicyTest {
    private final ReconnectPolicy policy = ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void theCeilingDoublesUpToTheMaximum() {
        assertThat(policy.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceiling(10_000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void delaysAreSpreadOverTheWholeRangeBelowTheCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long delay = policy.delay(3, random).toMillis();
            assertThat(delay).isBetween(0L, 800L);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isLessThan(40);
        assertThat(max).isGreaterThan(760);
    }

    @Test
    void attemptsAreCountedAgainstTheLimit() {
        assertThat(policy.allows(1_000_000)).isTrue();
        assertThat(policy.withMaxAttempts(2).allows(1)).isTrue();
        assertThat(policy.withMaxAttempts(2).allows(2)).isFalse();
        assertThat(ReconnectPolicy.none().allows(0)).isFalse();
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: 0 <= initial <= max");
        assertThatThrownBy(() -> policy.withMaxAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
