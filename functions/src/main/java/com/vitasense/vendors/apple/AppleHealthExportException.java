package com.vitasense.vendors.apple;

/**
 * An Apple Health {@code export.xml} that cannot be read: not well-formed XML, not an export, or
 * refused for safety (an external entity). Carries the line and column where reading stopped, so a
 * user can find the spot in a file of hundreds of megabytes.
 */
public final class AppleHealthExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public AppleHealthExportException(String message, int line, int column, Throwable cause) {
        super(message + (line > 0 ? " (line " + line + ", column " + column + ")" : ""), cause);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the problem, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem, or -1 when unknown. */
    public int column() {
        return column;
    }
}
