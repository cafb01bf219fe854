package io.arqonbus.bench.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FdLimitTest {
    @Test
    void readsTheSoftLimit() {
        assertThat(FdLimit.parse(List.of("Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            20000                524288               files"))).isEqualTo(20000);
        assertThat(FdLimit.parse(List.of("Max open files            unlimited            unlimited            files")))
                .isEqualTo(-1);
    }

    @Test
    void takesTheDefaultWhereTheLimitAllowsAndRefusesAnAskedCountPastIt() {
        assertThat(FdLimit.clients(null, 19_000, 65_536)).isEqualTo(19_000);
        assertThat(FdLimit.clients(null, 19_000, 4_096)).isEqualTo(4_096 - FdLimit.RESERVED);
        assertThat(FdLimit.clients(500, 19_000, 4_096)).isEqualTo(500);
        assertThatThrownBy(() -> FdLimit.clients(5_000, 19_000, 4_096))
                .hasMessageContaining("ulimit -n is 4096");
    }
}
