package com.vitasense.jobs.config;

/**
 * A command that ran and failed (exit code 1 under the launcher). Inside a Flink client or
 * JobManager, where an entry point must not exit the JVM, it is what {@code main} throws instead,
 * so that {@code flink run} exits non-zero and an application-mode deployment ends as failed.
 */
public class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) {
        super(message);
    }
}
