package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalBudgetTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final List<RefusalBudget.Summary> closed = new ArrayList<>();

    @Test
    void theFirstRefusalsOfAKindAreRecordedTheRestCountedAndSummedWhenTheWindowCloses() {
        RefusalBudget budget = new RefusalBudget(3, 100, MINUTE, 100);
        List<RefusalBudget.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            verdicts.add(budget.admit("a", "POST /x", T0.plusSeconds(i), closed));
        }
        assertThat(verdicts).containsExactly(RefusalBudget.Verdict.RECORD, RefusalBudget.Verdict.RECORD,
                RefusalBudget.Verdict.RECORD, RefusalBudget.Verdict.COUNT, RefusalBudget.Verdict.COUNT,
                RefusalBudget.Verdict.COUNT, RefusalBudget.Verdict.COUNT, RefusalBudget.Verdict.COUNT);
        assertThat(budget.closeBefore(T0.plusSeconds(59))).as("the window is still open").isEmpty();

        // The next refusal after the window closes the old one (5 counted) and starts afresh.
        assertThat(budget.admit("a", "POST /x", T0.plus(MINUTE), closed)).isEqualTo(RefusalBudget.Verdict.RECORD);
        assertThat(closed).singleElement().satisfies(summary -> {
            assertThat(summary.key()).isEqualTo("a");
            assertThat(summary.repeated()).isEqualTo(5);
            assertThat(summary.since()).isEqualTo(T0);
        });
    }

    @Test
    void kindsHaveTheirOwnBudgetsAndAWindowWithNothingCountedWritesNothing() {
        RefusalBudget budget = new RefusalBudget(2, 100, MINUTE, 100);
        budget.admit("a", "POST /x", T0, closed);
        budget.admit("a", "POST /x", T0, closed);
        assertThat(budget.admit("b", "POST /y", T0, closed)).isEqualTo(RefusalBudget.Verdict.RECORD);
        assertThat(budget.admit("a", "POST /x", T0, closed)).isEqualTo(RefusalBudget.Verdict.COUNT);
        assertThat(budget.closeBefore(T0.plus(MINUTE))).extracting(RefusalBudget.Summary::key).containsExactly("a");
    }

    @Test
    void aSprayOfKindsIsHeldToTheTotalAndCountedInOneSharedSummary() {
        RefusalBudget budget = new RefusalBudget(10, 5, MINUTE, 1_000);
        long recorded = 0;
        for (int i = 0; i < 50; i++) {
            if (budget.admit("kind-" + i, "POST /p" + i, T0, closed) == RefusalBudget.Verdict.RECORD) {
                recorded++;
            }
        }
        assertThat(recorded).isEqualTo(5);
        List<RefusalBudget.Summary> summaries = budget.closeAll(T0);
        assertThat(summaries).singleElement().satisfies(summary -> {
            assertThat(summary.key()).isEqualTo(RefusalBudget.OVERFLOW);
            assertThat(summary.repeated()).isEqualTo(45);
            assertThat(summary.lastTarget()).isEqualTo("POST /p49");
        });
        assertThat(budget.admit("kind-0", "POST /p0", T0.plus(MINUTE), closed))
                .as("a new minute, a new total").isEqualTo(RefusalBudget.Verdict.RECORD);
    }

    @Test
    void memoryIsBoundedByTheNumberOfKinds() {
        RefusalBudget budget = new RefusalBudget(1, 1_000_000, MINUTE, 100);
        for (int i = 0; i < 10_000; i++) {
            budget.admit("kind-" + i, "GET /", T0, closed);
        }
        List<RefusalBudget.Summary> summaries = budget.closeAll(T0);
        assertThat(summaries).singleElement().satisfies(summary -> assertThat(summary.repeated())
                .isEqualTo(10_000 - 100));
    }
}
