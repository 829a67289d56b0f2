package com.vitasense.jobs.config;

/**
 * How a job is run, whatever it processes: its parallelism and whether the schema migrations are
 * applied before it starts. Shared by the streaming job and the backfill so the flags mean the
 * same in both.
 *
 * @param parallelism the job's parallelism, or null for the cluster's default
 * @param applyMigrations apply the Flyway migrations of {@code sql/postgres} before starting
 */
public record ExecutionSettings(Integer parallelism, boolean applyMigrations) {

    public static final String PARALLELISM = "parallelism";
    public static final String APPLY_MIGRATIONS = "apply-migrations";

    public static ExecutionSettings from(Settings s) {
        return new ExecutionSettings(
                s.isSet(PARALLELISM) ? s.integer(PARALLELISM, 1, 1, 10_000) : null,
                s.bool(APPLY_MIGRATIONS, false));
    }
}
