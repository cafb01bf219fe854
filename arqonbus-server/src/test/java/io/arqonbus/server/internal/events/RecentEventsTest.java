package io.arqonbus.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
    private static Envelope event(int n) {
        return Envelope.builder("arq_" + n, "2026-12-01T00:00:00Z", MessageType.MESSAGE)
                .room("r").channel("c").sender("arqonbus").build();
    }

    private static List<String> ids(List<RecentEvent> events) {
        return events.stream().map(e -> e.envelope().id()).toList();
    }

    @Test
    void keepsTheLastCapacityEventsNewestLast() {
        RecentEvents ring = new RecentEvents(5);
        IntStream.rangeClosed(1, 12).forEach(n -> ring.published(event(n), null));
        assertThat(ring.size()).isEqualTo(5);
        assertThat(ring.total()).isEqualTo(12);
        assertThat(ids(ring.latest(5, e -> true))).containsExactly("arq_8", "arq_9", "arq_10", "arq_11", "arq_12");
        assertThat(ids(ring.latest(2, e -> true))).containsExactly("arq_11", "arq_12");
        assertThat(ids(ring.latest(100, e -> true))).hasSize(5);
    }

    @Test
    void aFilterSkipsEventsButStillReturnsTheNewestThatPass() {
        RecentEvents ring = new RecentEvents(10);
        IntStream.rangeClosed(1, 10).forEach(n -> ring.published(event(n), null));
        List<RecentEvent> odd = ring.latest(3, e -> Integer.parseInt(e.envelope().id().substring(4)) % 2 == 1);
        assertThat(ids(odd)).containsExactly("arq_5", "arq_7", "arq_9");
    }

    @Test
    void fewerEventsThanAskedForAreAllReturned() {
        RecentEvents ring = new RecentEvents(100);
        ring.published(event(1), null);
        assertThat(ids(ring.latest(20, e -> true))).containsExactly("arq_1");
        assertThat(ring.defaultCount()).isEqualTo(RecentEvents.DEFAULT_COUNT);
        assertThat(new RecentEvents(5).defaultCount()).isEqualTo(5);
    }

    @Test
    void capacityZeroKeepsNothing() {
        RecentEvents ring = new RecentEvents(0);
        ring.published(event(1), null);
        assertThat(ring.enabled()).isFalse();
        assertThat(ring.latest(10, e -> true)).isEmpty();
    }

    @Test
    void countsAreValidatedAgainstTheCapacity() {
        RecentEvents ring = new RecentEvents(50);
        assertThat(ring.count("count", null)).isEqualTo(20);
        assertThat(ring.count("count", "50")).isEqualTo(50);
        assertThat(ring.count("count", " 7 ")).isEqualTo(7);
        for (String bad : List.of("0", "51", "-1", "abc", "", "1.5")) {
            assertThatThrownBy(() -> ring.count("count", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'count' must be an integer from 1 to 50");
        }
    }

    @Test
    void visibilityFollowsTenantAndGrants() {
        Envelope env = event(1);
        Principal t1 = new Principal("a", "user", "t1", null);
        Principal t2 = new Principal("b", "user", "t2", null);
        assertThat(new RecentEvent(0, env, "t1", false).visibleTo(t1, Grants.ALL)).isTrue();
        assertThat(new RecentEvent(0, env, "t1", false).visibleTo(t2, Grants.ALL)).isFalse();
        assertThat(new RecentEvent(0, env, null, false).visibleTo(t2, Grants.ALL)).isFalse();
        assertThat(new RecentEvent(0, env, null, false).visibleTo(Principal.ANONYMOUS, Grants.ALL)).isTrue();
        assertThat(new RecentEvent(0, env, null, true).visibleTo(t2, Grants.ALL)).isTrue();
    }
}
