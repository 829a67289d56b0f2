package com.vitasense.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.vitasense.jobs.BackfillJob;
import com.vitasense.jobs.backfill.BackfillInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

class BackfillJobConfigTest {

    private static BackfillJob.Config config(Map<String, String> env, String... args) {
        return BackfillJob.Config.from(Settings.parse(args, env));
    }

    private static BackfillJob.Config config(String... args) {
        return config(Map.of(), args);
    }

    @Test
    void aFileBackfillWritesTheTablesOnlyByDefault() {
        BackfillJob.Config c = config("--from-file", "/data/history", "--jdbc-url", "jdbc:postgresql://db:5432/vs",
                "--jdbc-user", "etl");
        assertThat(c.input()).isEqualTo(new BackfillInput.Files("/data/history"));
        assertThat(c.emitTopics()).isFalse();
        assertThat(c.jdbc().url()).isEqualTo("jdbc:postgresql://db:5432/vs");
        assertThat(c.jdbc().user()).isEqualTo("etl");
        assertThat(c.runId()).matches("[0-9a-f-]{36}");
        assertThat(c.progressInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.execution().parallelism()).isNull();
        assertThat(c.pipeline().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.flinkConfiguration().get(ExecutionOptions.RUNTIME_MODE)).isEqualTo(RuntimeExecutionMode.BATCH);
        assertThat(c.flinkConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void aKafkaRangeIsReadFromTheRawTopic() {
        BackfillJob.Config c = config(Map.of("VITASENSE_JDBC_PASSWORD", "s3cret", "VITASENSE_TOPIC_RAW", "raw-v2"),
                "--from-kafka", "--start", "2026-11-20T00:00:00Z", "--end", "2026-11-21T05:30:00Z", "--emit-topics",
                "--parallelism", "4", "--run-id", "reprocess-2026-11", "--quality-rules=" + "/dev/null");
        assertThat(c.input()).isEqualTo(new BackfillInput.KafkaRange("raw-v2", Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-21T05:30:00Z")));
        assertThat(c.jdbc().password()).isEqualTo("s3cret");
        assertThat(c.emitTopics()).isTrue();
        assertThat(c.execution().parallelism()).isEqualTo(4);
        assertThat(c.runId()).isEqualTo("reprocess-2026-11");
    }

    /**
     * The chart's backfill runs main in the JobManager (application mode): it must end there by
     * returning or throwing, never by System.exit, which would take the JobManager down.
     */
    @Test
    void mainExitsOnlyUnderTheLauncher() {
        List<Integer> exits = new ArrayList<>();
        Settings.finish(0, null, false, exits::add);
        assertThatThrownBy(() -> Settings.finish(1, "backfill run r-1: failed", false, exits::add))
                .isInstanceOf(CommandFailedException.class).hasMessage("backfill run r-1: failed");
        assertThatThrownBy(() -> Settings.finish(2, "missing input", false, exits::add))
                .isInstanceOf(InvalidSettingException.class).hasMessage("missing input");
        assertThat(exits).isEmpty();

        for (int code : new int[] {0, 1, 2}) Settings.finish(code, "why", true, exits::add);
        assertThat(exits).containsExactly(0, 1, 2);
    }

    @Test
    void mainThrowsOnBadSettingsOutsideTheLauncher() {
        // Under the launcher main would exit this test JVM; Maven runs the tests without it.
        assumeTrue(System.getenv("VITASENSE_LAUNCHER") == null);
        assertThatThrownBy(() -> BackfillJob.main(new String[] {"--jdbc-url", "jdbc:postgresql://db/vs"}))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("missing input");
    }

    @Test
    void exactlyOneInput() {
        assertThatThrownBy(() -> config())
                .hasMessage("missing input: give exactly one of --from-file PATH, --from-kafka --start TIME --end TIME,"
                        + " or --from-apple-export PATH --user USER");
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--from-kafka"))
                .hasMessageStartingWith("more than one input: give exactly one of");
    }

    @Test
    void aKafkaRangeNeedsAValidStartBeforeItsEnd() {
        assertThatThrownBy(() -> config("--from-kafka", "--start", "2026-11-20T00:00:00Z"))
                .hasMessage("--from-kafka needs --start and --end (Kafka record times, e.g. 2026-11-20T00:00:00Z)");
        assertThatThrownBy(() -> config("--from-kafka", "--start", "2026-11-20T00:00:00Z", "--end", "2026-11-20T00:00:00Z"))
                .hasMessage("invalid time range: --start 2026-11-20T00:00:00Z is not before --end 2026-11-20T00:00:00Z");
        assertThatThrownBy(() -> config("--from-kafka", "--start", "2026-11-20T08:00", "--end", "2026-11-21T00:00:00Z"))
                .hasMessage("invalid --start '2026-11-20T08:00': expected an ISO-8601 instant such as 2026-11-27T00:00:00Z");
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--start", "2026-11-20T00:00:00Z"))
                .hasMessage("--start and --end select a Kafka time range and need --from-kafka");
    }

    @Test
    void settingsOfTheStreamingJobThatDoNotApplyAreRefused() {
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--checkpoint-interval", "10s"))
                .hasMessage("unknown setting --checkpoint-interval");
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--jdbc-password", "x"))
                .hasMessage("--jdbc-password is not accepted on the command line; set VITASENSE_JDBC_PASSWORD or --jdbc-password-file");
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--run-id", "no spaces please"))
                .hasMessageStartingWith("invalid --run-id 'no spaces please'");
    }

    @Test
    void anAppleExportBelongsToOneUser() {
        BackfillJob.Config c = config("--from-apple-export", "export.zip", "--user", "u-1", "--time-zone", "Europe/Berlin");
        assertThat(c.input()).isEqualTo(new BackfillInput.AppleExport("export.zip", "u-1", java.time.ZoneId.of("Europe/Berlin")));
        assertThatThrownBy(() -> config("--from-apple-export", "export.xml"))
                .hasMessage("--from-apple-export needs --user (the platform user id)");
        assertThatThrownBy(() -> config("--from-apple-export", "export.xml", "--user", "u-1", "--time-zone", "Mars/Olympus"))
                .hasMessage("invalid --time-zone 'Mars/Olympus': expected a time zone such as Europe/Berlin or UTC");
        assertThatThrownBy(() -> config("--from-file", "a.jsonl", "--user", "u-1"))
                .hasMessage("--user and --time-zone apply to --from-apple-export only");
    }
}
