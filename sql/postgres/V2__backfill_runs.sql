-- VitaSense schema, version 2: a record of every backfill run.
--
-- One row per run of BackfillJob, inserted as 'running' before the Flink job starts and completed
-- with its status and counts when it ends. run_id is random per run (UUID) unless the caller
-- passes --run-id; the rows a run writes carry deterministic ids of their own, so two runs over
-- the same input write the same rows and differ only here.
--
-- Counts come from the job's accumulators: records_read are raw records (lines, Kafka records or
-- export elements) read; points_written, quality_issues and dead_letters are what the pipeline
-- emitted to its sinks, repeats of rows already in the tables included.

CREATE TABLE backfill_runs (
    run_id         text        PRIMARY KEY,
    input_kind     text        NOT NULL CHECK (input_kind IN ('file', 'kafka', 'apple_export')),
    input          text        NOT NULL,
    -- The user an import belongs to (Apple Health export); NULL for fleet-wide inputs.
    user_id        text,
    -- The requested range of Kafka record time, [range_start, range_end); NULL for files.
    range_start    timestamptz,
    range_end      timestamptz,
    emit_topics    boolean     NOT NULL,
    parallelism    integer,
    status         text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    flink_job_id   text,
    records_read   bigint,
    points_written bigint,
    quality_issues bigint,
    dead_letters   bigint,
    error          text
);
CREATE INDEX backfill_runs_started ON backfill_runs (started_at);

-- As every table: a session sees the runs of its own user only (and so no fleet-wide run).
ALTER TABLE backfill_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON backfill_runs USING (user_id = current_setting('vitasense.user_id', true));
