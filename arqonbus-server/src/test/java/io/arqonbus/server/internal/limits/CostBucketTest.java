package io.arqonbus.server.internal.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The cost bucket admits while it holds tokens, goes into debt when charged, and says when it will admit again. */
class CostBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void admitsWhileItHoldsTokensAndWaitsOutItsDebt() {
        CostBucket bucket = new CostBucket(1000, 2000, 0);
        assertThat(bucket.admit(0)).isZero();
        bucket.charge(5000, 0);                          // 2000 - 5000 = -3000
        long wait = bucket.admit(0);
        assertThat(wait).isBetween(3 * SECOND, 3 * SECOND + 2_000_000L);
        assertThat(bucket.admit(2 * SECOND)).isPositive();        // still -1000
        assertThat(bucket.admit(3 * SECOND + 2_000_000L)).isZero();
    }

    @Test
    void refillStopsAtTheBurst() {
        CostBucket bucket = new CostBucket(1000, 2000, 0);
        bucket.charge(2000, 100 * SECOND);              // full (2000) after a long idle time, now 0
        assertThat(bucket.admit(100 * SECOND)).isPositive();
        bucket.charge(0, 103 * SECOND);
        bucket.charge(2000, 103 * SECOND);              // refilled to 2000 only, not 3000
        assertThat(bucket.admit(103 * SECOND)).isPositive();
    }

    @Test
    void refusesARateOrBurstOfZero() {
        assertThatThrownBy(() -> new CostBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CostBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
