package com.vitasense.jobs.sql;

import com.vitasense.jobs.config.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Flink SQL file split into statements, with {@code ${name}} parameters filled in.
 *
 * <p>Statements end at a semicolon outside string literals ({@code '...'}, with {@code ''} as an
 * escaped quote), quoted identifiers ({@code `...`} and {@code "..."}), line comments
 * ({@code -- ...}) and block comments ({@code /* ... *&#47;}). Comments stay in the statement
 * text because Flink reads hints ({@code /*+ OPTIONS(...) *&#47;}) from them.
 *
 * <p>Parameters are only allowed inside string literals (connector options are literals) and their
 * values are escaped for that place, so a password containing a quote or a semicolon can neither
 * break the statement nor change its meaning. A parameter elsewhere, or one without a value, is an
 * error naming the file and line.
 */
public final class SqlScript {

    /**
     * One statement: its text as written (parameters not filled in, leading comments kept), the line
     * where that text starts and the line of its first code (after any header comment).
     */
    public record Statement(String source, int line, int codeLine, String template) {
        /** Where the statement's code starts, for messages: {@code file:line}. */
        public String location() {
            return source + ":" + codeLine;
        }

        /** The first line of the statement that is not a comment, for messages; never has parameter values. */
        public String summary() {
            for (String l : template.split("\n")) {
                String t = l.strip();
                if (!t.isEmpty() && !t.startsWith("--")) return t.length() > 100 ? t.substring(0, 97) + "..." : t;
            }
            return template.strip();
        }

        /**
         * The statement with every {@code ${name}} inside a string literal replaced by its value.
         *
         * @throws InvalidSettingException for a parameter outside a literal or without a value
         */
        public String fill(Map<String, String> parameters) {
            StringBuilder out = new StringBuilder(template.length());
            Scanner s = new Scanner(template);
            while (!s.atEnd()) {
                char c = s.peek();
                if (c == '\'') {
                    out.append(s.next());
                    while (!s.atEnd()) {
                        if (s.startsWith("''")) {
                            out.append(s.next()).append(s.next());
                        } else if (s.peek() == '\'') {
                            out.append(s.next());
                            break;
                        } else if (s.startsWith("${")) {
                            String name = s.parameterName(this);
                            String value = parameters.get(name);
                            if (value == null) {
                                throw new InvalidSettingException(location(s.line) + ": unknown parameter ${" + name
                                        + "}; known: " + String.join(", ", new java.util.TreeSet<>(parameters.keySet())));
                            }
                            out.append(value.replace("'", "''"));
                        } else {
                            out.append(s.next());
                        }
                    }
                } else if (s.startsWith("${")) {
                    throw new InvalidSettingException(location(s.line)
                            + ": parameters belong inside a string literal, e.g. '${kafka.bootstrap}'");
                } else if (!s.skipQuotedOrComment(out)) {
                    out.append(s.next());
                }
            }
            return out.toString();
        }

        private String location(int lineInStatement) {
            return source + ":" + (line + lineInStatement - 1);
        }
    }

    private SqlScript() {}

    /**
     * The statements of {@code text}, in order; empty statements (only whitespace and comments) are
     * dropped. {@code source} names the file in messages.
     *
     * @throws InvalidSettingException when a literal, quoted identifier or comment is not closed
     */
    public static List<Statement> parse(String source, String text) {
        List<Statement> statements = new ArrayList<>();
        Scanner s = new Scanner(text);
        StringBuilder current = new StringBuilder();
        int startLine = 1;
        int codeLine = 0;
        while (!s.atEnd()) {
            if (current.isEmpty()) startLine = s.line;
            char c = s.peek();
            if (c == ';') {
                s.next();
                if (codeLine > 0) statements.add(statement(source, startLine, codeLine, current));
                current.setLength(0);
                codeLine = 0;
            } else if (c == '\'' || c == '`' || c == '"') {
                int opened = s.line;
                s.skipQuotedOrComment(current);
                if (s.unclosed) {
                    throw new InvalidSettingException(source + ":" + opened + ": " + c + " is never closed");
                }
                if (codeLine == 0) codeLine = opened;
            } else if (s.startsWith("--") || s.startsWith("/*")) {
                int opened = s.line;
                boolean hint = s.startsWith("/*+");
                s.skipQuotedOrComment(current);
                if (s.unclosed) throw new InvalidSettingException(source + ":" + opened + ": /* is never closed");
                if (hint && codeLine == 0) codeLine = opened;
            } else {
                if (!Character.isWhitespace(c) && codeLine == 0) codeLine = s.line;
                current.append(s.next());
            }
        }
        if (codeLine > 0) statements.add(statement(source, startLine, codeLine, current));
        return statements;
    }

    private static Statement statement(String source, int startLine, int codeLine, StringBuilder text) {
        // startLine is where the text after the previous statement starts; skip its leading blank lines.
        String raw = text.toString();
        int line = startLine;
        for (int i = 0; i < raw.length() && Character.isWhitespace(raw.charAt(i)); i++) {
            if (raw.charAt(i) == '\n') line++;
        }
        return new Statement(source, line, codeLine, raw.strip());
    }

    /** A cursor over SQL text that knows literals, quoted identifiers and comments. */
    private static final class Scanner {
        private final String text;
        private int pos;
        private int line = 1;
        private boolean unclosed;

        Scanner(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        boolean startsWith(String prefix) {
            return text.startsWith(prefix, pos);
        }

        char next() {
            char c = text.charAt(pos++);
            if (c == '\n') line++;
            return c;
        }

        /**
         * Copies a literal, quoted identifier or comment starting here to {@code out}; false when
         * none starts here. Sets {@link #unclosed} when the text ends inside it.
         */
        boolean skipQuotedOrComment(StringBuilder out) {
            unclosed = false;
            if (startsWith("--")) {
                while (!atEnd() && peek() != '\n') out.append(next());
                return true;
            }
            if (startsWith("/*")) {
                out.append(next()).append(next());
                while (!atEnd() && !startsWith("*/")) out.append(next());
                if (atEnd()) {
                    unclosed = true;
                } else {
                    out.append(next()).append(next());
                }
                return true;
            }
            char quote = peek();
            if (quote != '\'' && quote != '`' && quote != '"') return false;
            out.append(next());
            while (!atEnd()) {
                char c = next();
                out.append(c);
                if (c == quote) {
                    // A doubled quote is an escaped quote inside the literal or identifier.
                    if (!atEnd() && peek() == quote) {
                        out.append(next());
                    } else {
                        return true;
                    }
                }
            }
            unclosed = true;
            return true;
        }

        /** Reads {@code ${name}} at the cursor and returns the name. */
        String parameterName(Statement statement) {
            int start = pos;
            int end = text.indexOf('}', start);
            String name = end < 0 ? "" : text.substring(start + 2, end);
            if (end < 0 || !name.matches("[a-z][a-z0-9]*([.-][a-z0-9]+)*")) {
                throw new InvalidSettingException(statement.location(line) + ": malformed parameter "
                        + text.substring(start, Math.min(text.length(), start + 40)).split("\n")[0]
                        + " (expected ${name} with lower-case letters, digits, dots and dashes)");
            }
            while (pos <= end) next();
            return name;
        }
    }
}
