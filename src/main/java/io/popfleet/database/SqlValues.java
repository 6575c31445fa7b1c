package io.popfleet.database;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Column values of native query rows, which arrive as whatever the JDBC driver and Hibernate chose. */
public final class SqlValues {

    private SqlValues() {
    }

    /** A timestamptz column as an instant, null stays null. */
    public static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    public static Double real(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    public static Long whole(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
