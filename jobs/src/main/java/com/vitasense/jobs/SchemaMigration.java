package com.vitasense.jobs;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned migrations of {@code sql/postgres} (shipped in the job jar) with Flyway:
 * {@code java -cp vitasense-job.jar com.vitasense.jobs.SchemaMigration --jdbc-url ... --jdbc-user ...},
 * password from {@code VITASENSE_JDBC_PASSWORD}. Already-applied versions are skipped, and a
 * changed applied migration fails validation instead of silently diverging.
 */
public final class SchemaMigration {
    private SchemaMigration() {}

    public static MigrateResult migrate(String url, String user, String password) {
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load();
        return flyway.migrate();
    }

    /**
     * {@link #migrate} for the entry points: an unreachable database, a refused password or a
     * diverged schema becomes one line naming the database and the underlying cause, not a
     * Flyway stack trace.
     */
    public static MigrateResult migrateOrExplain(JdbcSettings jdbc) {
        try {
            return migrate(jdbc.url(), jdbc.user(), jdbc.password());
        } catch (FlywayException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            String detail = cause == e ? e.getMessage() : e.getMessage().lines().findFirst().orElse("") + ": " + cause.getMessage();
            throw new InvalidSettingException("cannot migrate the schema at " + jdbc.url() + " as " + jdbc.user() + ": "
                    + detail.replaceAll("\\s+", " ").strip());
        }
    }

    public static void main(String[] args) {
        JdbcSettings jdbc;
        MigrateResult result;
        try {
            Settings s = Settings.fromMain(args);
            jdbc = JdbcSettings.from(s);
            s.rejectUnknown();
            result = migrateOrExplain(jdbc);
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + " migrations applied) on " + jdbc.url());
    }
}
