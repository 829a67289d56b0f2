package com.vitasense.jobs.testing;

import com.vitasense.jobs.BackfillJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link BackfillJob}'s command line on the test's mini cluster against a database of the
 * shared PostgreSQL, as {@code ./vitasense backfill} would with the same flags.
 */
public final class Backfills {
    private Backfills() {}

    /** What the command printed and returned. */
    public record Outcome(int exitCode, String out, String err) {
        /** The summary line printed at the end. */
        public String summary() {
            return out.lines().filter(l -> l.startsWith("backfill summary:")).reduce((a, b) -> b).orElse("");
        }
    }

    /** Runs with the connection to {@code jdbcUrl} (password from the environment, as in production) and {@code args}. */
    public static Outcome run(String jdbcUrl, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--jdbc-url", jdbcUrl, "--jdbc-user", SharedServers.postgres().user(),
                "--parallelism", "2", "--progress-interval", "1s"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = BackfillJob.execute(all.toArray(String[]::new),
                    Map.of("VITASENSE_JDBC_PASSWORD", SharedServers.postgres().password()), o, e);
        }
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
