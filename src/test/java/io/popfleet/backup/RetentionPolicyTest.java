package io.popfleet.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPolicyTest {

    /** Monday 2026-09-07, 00:00 UTC: day 0 of the fake clock. */
    private static final Instant DAY0 = Instant.parse("2026-09-07T00:00:00Z");

    @Test
    void sixtyDaysOfTwiceDailyBackupsKeepTheLastThreeTheNewestOfSevenDaysAndOfFourWeeks() {
        RetentionPolicy policy = new RetentionPolicy(3, 7, 4);
        List<RetentionPolicy.Archive> archives = new ArrayList<>();
        Set<Long> kept = new HashSet<>();
        long id = 0;
        // every day two backups (06:00, 18:00), retention applied after each, as the daily job would
        for (int day = 0; day < 60; day++) {
            for (int hour : new int[] {6, 18}) {
                archives.add(new RetentionPolicy.Archive(++id, at(day, hour), true));
            }
            Instant now = at(day, 23);
            kept = policy.keep(archives, now);
            Set<Long> keep = kept;
            archives.removeIf(a -> !keep.contains(a.id()));
        }
        // day 59 is Thursday 2026-11-05 (ISO week 45). Last 3: 59@18, 59@06, 58@18. Daily, days 53..59: each @18.
        // Weekly, weeks 42..45: the newest of each: 59@18 (wk 45), 55@18 (Sun, wk 44), 48@18 (wk 43), 41@18 (wk 42).
        Set<String> expected = Set.of("59@18", "59@6", "58@18", "57@18", "56@18", "55@18", "54@18", "53@18",
                "48@18", "41@18");
        assertThat(archives.stream().map(a -> label(a.madeAt())).collect(Collectors.toSet())).isEqualTo(expected);
    }

    @Test
    void theNewestGoodArchiveIsKeptWhenEveryNewerOneFailedVerification() {
        RetentionPolicy policy = new RetentionPolicy(1, 0, 0);
        List<RetentionPolicy.Archive> archives = List.of(new RetentionPolicy.Archive(1, at(0, 6), true),
                new RetentionPolicy.Archive(2, at(1, 6), false), new RetentionPolicy.Archive(3, at(2, 6), false));
        assertThat(policy.keep(archives, at(2, 23))).containsExactlyInAnyOrder(3L, 1L);
    }

    @Test
    void aPolicyThatKeepsNothingIsRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(0, 7, 4)).hasMessageContaining("keep-last");
    }

    private static Instant at(int day, int hour) {
        return DAY0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
    }

    private static String label(Instant instant) {
        Duration since = Duration.between(DAY0, instant);
        return since.toDays() + "@" + since.minusDays(since.toDays()).toHours();
    }
}
