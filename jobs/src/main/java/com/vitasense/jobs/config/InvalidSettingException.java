package com.vitasense.jobs.config;

/** A missing or invalid setting; its message is the one line shown to the user. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
