package com.vitasense.jobs.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The PostgreSQL connection and write batching. The password comes from
 * {@code VITASENSE_JDBC_PASSWORD} or a file ({@code --jdbc-password-file}), never from a flag.
 */
public record JdbcSettings(String url, String user, String password, int batchSize, Duration batchInterval,
                           int maxRetries) implements Serializable {

    public static final String URL = "jdbc-url";
    public static final String USER = "jdbc-user";
    public static final String PASSWORD = "jdbc-password";
    public static final String BATCH_SIZE = "jdbc-batch-size";
    public static final String BATCH_INTERVAL = "jdbc-batch-interval";
    public static final String MAX_RETRIES = "jdbc-max-retries";

    public static JdbcSettings from(Settings s) {
        String url = s.string(URL, "jdbc:postgresql://localhost:5432/vitasense");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new InvalidSettingException("invalid --" + URL + " '" + url + "': expected jdbc:postgresql://host:port/database");
        }
        return new JdbcSettings(
                url,
                s.string(USER, "vitasense"),
                s.secret(PASSWORD),
                s.integer(BATCH_SIZE, 500, 1, 100_000),
                s.duration(BATCH_INTERVAL, Duration.ofMillis(500)),
                s.integer(MAX_RETRIES, 5, 0, 100));
    }

    public static JdbcSettings local(String url, String user, String password) {
        return new JdbcSettings(url, user, password, 500, Duration.ofMillis(200), 5);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "JdbcSettings{url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", batchSize=" + batchSize + ", batchInterval=" + batchInterval + "}";
    }
}
