package io.popfleet.database;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;

/**
 * One row of a native query, read by column name (its alias in the SQL) rather than by position, so a column added
 * to a query cannot shift the others. Values are converted by {@link SqlValues}, whatever type the JDBC driver and
 * Hibernate chose for them.
 */
public record SqlRow(Tuple tuple) {

    /** A native query read by column name: bind its parameters, then {@link #list} or {@link #single}. */
    public static Query query(EntityManager em, String sql) {
        return em.createNativeQuery(sql, Tuple.class);
    }

    /** The rows of a query made by {@link #query}. */
    public static List<SqlRow> list(Query query) {
        @SuppressWarnings("unchecked")
        List<Tuple> tuples = query.getResultList();
        return tuples.stream().map(SqlRow::new).toList();
    }

    /** The one row of a query made by {@link #query} (an aggregate, say). */
    public static SqlRow single(Query query) {
        return new SqlRow((Tuple) query.getSingleResult());
    }

    public String text(String column) {
        return (String) tuple.get(column);
    }

    public Long whole(String column) {
        return SqlValues.whole(tuple.get(column));
    }

    public Integer integer(String column) {
        Long value = whole(column);
        return value == null ? null : Math.toIntExact(value);
    }

    public Double real(String column) {
        return SqlValues.real(tuple.get(column));
    }

    public Boolean flag(String column) {
        return (Boolean) tuple.get(column);
    }

    public Instant instant(String column) {
        return SqlValues.instant(tuple.get(column));
    }
}
