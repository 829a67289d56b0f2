package com.vitasense.jobs.sql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;

/** Query results as text: one cell per value, rows as an aligned table in the style of psql. */
public final class ResultFormat {
    /** Seconds always, fractions only when there are any: {@code 2026-11-20 08:00:00}, {@code ... 08:00:00.25}. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();

    private ResultFormat() {}

    /**
     * One value as text: {@code NULL} for null, numbers without exponent or trailing zeros,
     * timestamps as {@code yyyy-MM-dd HH:mm:ss} (instants in UTC), arrays as {@code [a, b]}.
     */
    public static String cell(Object v) {
        if (v == null) return "NULL";
        if (v instanceof Double d) return decimal(d);
        if (v instanceof Float f) return decimal(f.doubleValue());
        if (v instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        if (v instanceof LocalDateTime t) return TIMESTAMP.format(t);
        if (v instanceof Instant t) return TIMESTAMP.format(t.atOffset(ZoneOffset.UTC));
        if (v instanceof Object[] a) return Arrays.deepToString(a);
        return v.toString();
    }

    private static String decimal(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return Double.toString(d);
        if (d == 0) return "0";
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** An aligned table: header, rule, rows; numeric columns right-aligned. */
    public static String table(List<String> columns, boolean[] numeric, List<List<String>> rows) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) width[i] = columns.get(i).length();
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        line(out, columns, width, new boolean[width.length]);
        for (int i = 0; i < width.length; i++) {
            if (i > 0) out.append('+');
            out.append("-".repeat(width[i] + 2));
        }
        out.append('\n');
        for (List<String> row : rows) line(out, row, width, numeric);
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            l.append(i == 0 ? " " : " | ");
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            l.append(right[i] ? pad + c : c + pad);
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}
