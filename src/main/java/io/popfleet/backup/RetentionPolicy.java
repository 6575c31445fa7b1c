package io.popfleet.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a node's archives to keep (restic's {@code forget --keep-last/--keep-daily/--keep-weekly}, by calendar):
 * the {@code keepLast} newest; the newest of each UTC day of the last {@code keepDaily} days (today included); the
 * newest of each ISO week of the last {@code keepWeekly} weeks (this one included). Whatever else, the newest
 * archive whose last verification passed is kept, so retention never leaves a node without a good copy.
 */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly) {

    public static final RetentionPolicy DEFAULT = new RetentionPolicy(7, 14, 8);

    public RetentionPolicy {
        if (keepLast < 1 || keepDaily < 0 || keepWeekly < 0) {
            throw new IllegalArgumentException("keep-last must be at least 1, keep-daily and keep-weekly at least 0");
        }
    }

    /** One archive as retention sees it. */
    public record Archive(long id, Instant madeAt, boolean good) {
    }

    /** The ids to keep of one node's archives at {@code now}; every other one may go. */
    public Set<Long> keep(List<Archive> archives, Instant now) {
        List<Archive> newestFirst = archives.stream()
                .sorted(Comparator.comparing(Archive::madeAt).thenComparing(Archive::id).reversed()).toList();
        Set<Long> keep = new HashSet<>();
        newestFirst.stream().limit(keepLast).forEach(a -> keep.add(a.id()));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstDay = today.minusDays(keepDaily - 1L);
        Set<LocalDate> days = new HashSet<>();
        LocalDate firstWeek = today.minusWeeks(keepWeekly - 1L);
        Set<Long> weeks = new HashSet<>();
        for (Archive archive : newestFirst) {
            LocalDate day = LocalDate.ofInstant(archive.madeAt(), ZoneOffset.UTC);
            if (keepDaily > 0 && !day.isBefore(firstDay) && !day.isAfter(today) && days.add(day)) {
                keep.add(archive.id());
            }
            if (keepWeekly > 0 && !weekStart(day).isBefore(weekStart(firstWeek)) && !day.isAfter(today)
                    && weeks.add(weekKey(day))) {
                keep.add(archive.id());
            }
        }
        newestFirst.stream().filter(Archive::good).findFirst().ifPresent(a -> keep.add(a.id()));
        return keep;
    }

    private static LocalDate weekStart(LocalDate day) {
        return day.minusDays(day.getDayOfWeek().getValue() - 1L);
    }

    private static long weekKey(LocalDate day) {
        return day.get(IsoFields.WEEK_BASED_YEAR) * 100L + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
