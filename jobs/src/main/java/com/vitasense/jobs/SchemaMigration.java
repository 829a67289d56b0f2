package com.vitasense.jobs;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.Settings;
import org.flywaydb.core.Flyway;
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

    public static void main(String[] args) {
        JdbcSettings jdbc;
        try {
            Settings s = Settings.fromMain(args);
            jdbc = JdbcSettings.from(s);
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        MigrateResult result = migrate(jdbc.url(), jdbc.user(), jdbc.password());
        System.out.println("schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + " migrations applied) on " + jdbc.url());
    }
}
