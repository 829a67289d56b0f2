package com.vitasense.jobs.config;

/**
 * A missing or invalid setting; its message is the one line shown to the user. It carries no
 * stack trace: where it is rethrown (under {@code flink run}), the client reports the message, not
 * our call stack.
 */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message, null, false, false);
    }
}
