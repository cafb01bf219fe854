package io.arqonbus.server.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.200Z");

    @Test
    void sixFieldsStartWithSeconds() throws Exception {
        CronExpression every5s = CronExpression.parse("*/5 * * * * *");
        assertThat(every5s.next(T0)).contains(Instant.parse("2026-12-01T10:00:05Z"));
        assertThat(CronExpression.parse("* * * * * *").next(T0)).contains(Instant.parse("2026-12-01T10:00:01Z"));
    }

    @Test
    void fiveFieldsAreUnixCrontabInUtc() throws Exception {
        CronExpression nightly = CronExpression.parse("30 2 * * *");
        assertThat(nightly.next(T0)).contains(Instant.parse("2026-12-02T02:30:00Z"));
        assertThat(CronExpression.parse("  0   *  * * 1-5 ").text()).isEqualTo("0 * * * 1-5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "61 * * * *        | minute",
        "* 25 * * *        | hour",
        "* * 32 * *        | day-of-month",
        "* * * 13 *        | month",
        "99 * * * * *      | second",
        "* * * * * banana  | day-of-week",
        "* * *             | expression",
        "* * * * * * * *   | expression"})
    void aBadExpressionNamesItsField(String text, String field) {
        assertThatThrownBy(() -> CronExpression.parse(text))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(field.equals("expression") ? "fields" : field);
                });
    }

    @Test
    void emptyOrHugeExpressionsAreRefused() {
        assertThatThrownBy(() -> CronExpression.parse(" ")).isInstanceOf(InvalidCronException.class);
        assertThatThrownBy(() -> CronExpression.parse("*".repeat(300))).isInstanceOf(InvalidCronException.class)
                .hasMessageContaining("longer than");
    }
}
