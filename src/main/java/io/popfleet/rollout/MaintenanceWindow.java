package io.popfleet.rollout;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;

/**
 * A daily window in which a rollout may start nodes, {@code 22:00-04:00} (UTC) or {@code 22:00-04:00
 * Europe/Berlin}: a window whose end is before its start runs past midnight. Outside it no node starts; nodes
 * already started finish and are gated.
 */
public record MaintenanceWindow(LocalTime from, LocalTime to, ZoneId zone) {

    private static final Pattern FORM = Pattern.compile("^(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})(?:\\s+(\\S+))?$");

    /** The window written as the strategy's {@code window}; null or blank: none (any time). */
    public static MaintenanceWindow parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher match = FORM.matcher(text.strip());
        if (!match.matches()) {
            throw invalid("window is HH:MM-HH:MM with an optional time zone (UTC by default), e.g. 22:00-04:00"
                    + " Europe/Berlin, not \"" + text + "\"");
        }
        try {
            LocalTime from = LocalTime.parse(pad(match.group(1)));
            LocalTime to = LocalTime.parse(pad(match.group(2)));
            if (from.equals(to)) {
                throw invalid("the window's start and end are the same; leave it out for any time");
            }
            return new MaintenanceWindow(from, to, match.group(3) == null ? ZoneOffset.UTC : ZoneId.of(match.group(3)));
        } catch (DateTimeParseException e) {
            throw invalid("window times are 00:00 to 23:59, not \"" + text + "\"");
        } catch (DateTimeException e) {
            throw invalid("unknown time zone \"" + match.group(3) + "\" in the window");
        }
    }

    public boolean contains(Instant instant) {
        LocalTime time = instant.atZone(zone).toLocalTime();
        return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
                : !time.isBefore(from) || time.isBefore(to);
    }

    @Override
    public String toString() {
        return from + "-" + to + (zone.equals(ZoneOffset.UTC) ? "" : " " + zone.getId());
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

    private static ProblemException invalid(String message) {
        return new ProblemException("invalid-strategy", "Invalid strategy", 400, message,
                List.of(new ApiProblem.FieldError("window", null, null, message)));
    }
}
