package com.vitasense.jobs.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The full contents of tables as text, for comparing two databases row by row: the demo's check
 * that a backfill reproduces what the streaming job wrote, and the equivalence test.
 *
 * <p>Each row is its columns as {@code name=value}, in column order, and the rows of a table are
 * sorted, so two snapshots are equal exactly when the tables hold the same rows, whatever order
 * they were written in.
 */
public final class TableSnapshot {
    /** The tables a backfill must reproduce exactly: everything the pipeline writes. */
    public static final List<String> PIPELINE_TABLES = List.of(
            "data_points", "quality_issues", "device_alerts", "calibration_events", "calibrations", "devices",
            "device_completeness");

    private final Map<String, List<String>> rows;

    private TableSnapshot(Map<String, List<String>> rows) {
        this.rows = rows;
    }

    /** Reads every row of {@code tables} through {@code c}, leaving out the named columns. */
    public static TableSnapshot take(Connection c, List<String> tables, String... excludedColumns) throws SQLException {
        List<String> excluded = List.of(excludedColumns);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : tables) {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String column = meta.getColumnName(i);
                        if (excluded.contains(column)) continue;
                        if (row.length() > 0) row.append(" | ");
                        row.append(column).append('=').append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
            Collections.sort(out);
            rows.put(table, Collections.unmodifiableList(out));
        }
        return new TableSnapshot(Collections.unmodifiableMap(rows));
    }

    /** The sorted rows of {@code table}. */
    public List<String> rows(String table) {
        List<String> r = rows.get(table);
        if (r == null) throw new IllegalArgumentException("no table " + table + " in this snapshot");
        return r;
    }

    /** Rows per table, in the order taken. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        rows.forEach((t, r) -> counts.put(t, r.size()));
        return counts;
    }

    /**
     * What differs from {@code other}, at most {@code max} rows per table and side: "table: only
     * in this: row" and "table: only in other: row". Empty when the snapshots are equal.
     */
    public List<String> differences(TableSnapshot other, int max) {
        List<String> out = new ArrayList<>();
        TreeSet<String> tables = new TreeSet<>(rows.keySet());
        tables.addAll(other.rows.keySet());
        for (String table : tables) {
            List<String> mine = rows.getOrDefault(table, List.of());
            List<String> theirs = other.rows.getOrDefault(table, List.of());
            appendMissing(out, table + ": only in this: ", mine, theirs, max);
            appendMissing(out, table + ": only in other: ", theirs, mine, max);
        }
        return out;
    }

    private static void appendMissing(List<String> out, String label, List<String> a, List<String> b, int max) {
        TreeSet<String> inB = new TreeSet<>(b);
        int n = 0;
        for (String row : a) {
            if (inB.contains(row)) continue;
            if (n++ < max) out.add(label + row);
        }
        if (n > max) out.add(label + "... and " + (n - max) + " more");
    }

    /** The columns of one row as this class writes it, by name. */
    public static Map<String, String> columns(String row) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String part : row.split(" \\| ")) {
            int eq = part.indexOf('=');
            if (eq > 0) columns.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return columns;
    }

    /** Rows of this snapshot not in {@code other}, per table. */
    public Map<String, List<String>> missingFrom(TableSnapshot other) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        rows.forEach((table, mine) -> {
            TreeSet<String> theirs = new TreeSet<>(other.rows.getOrDefault(table, List.of()));
            List<String> missing = mine.stream().filter(r -> !theirs.contains(r)).toList();
            if (!missing.isEmpty()) out.put(table, missing);
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSnapshot s && rows.equals(s.rows);
    }

    @Override
    public int hashCode() {
        return rows.hashCode();
    }

    @Override
    public String toString() {
        return "TableSnapshot" + counts();
    }
}
