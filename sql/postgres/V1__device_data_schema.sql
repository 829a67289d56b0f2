-- VitaSense device-data schema, version 1.
--
-- Every table the pipeline writes is keyed by a deterministic id (or a natural key) so that each
-- write is an idempotent upsert: at-least-once delivery, restarts and backfills leave no duplicates.
--
-- Row-level security: every table carries user_id and has a policy that shows a session only the
-- rows of the user named in the setting `vitasense.user_id` (SET vitasense.user_id = 'u-17').
-- The policies bind ordinary roles; the pipeline writes as the table owner (or a role with
-- BYPASSRLS), which RLS does not restrict unless FORCE ROW LEVEL SECURITY is set.

CREATE TABLE data_points (
    id               text        PRIMARY KEY,
    revision         integer     NOT NULL,
    user_id          text        NOT NULL,
    device_id        text        NOT NULL,
    vendor           text        NOT NULL,
    device_model     text,
    metric           text        NOT NULL,
    value            double precision,
    category         text,
    unit             text,
    raw_value        text,
    raw_unit         text,
    start_time       timestamptz NOT NULL,
    end_time         timestamptz NOT NULL,
    time_source      text        NOT NULL,
    quality_flags    text[]      NOT NULL DEFAULT '{}',
    quality_score    double precision,
    anomaly_score    double precision,
    calibration_id   text,
    source_record_id text,
    ingested_at      timestamptz NOT NULL
);
CREATE INDEX data_points_device_metric_time ON data_points (device_id, metric, start_time);
CREATE INDEX data_points_user_metric_time ON data_points (user_id, metric, start_time);

CREATE TABLE devices (
    device_id          text PRIMARY KEY,
    user_id            text NOT NULL,
    vendor             text NOT NULL,
    model              text,
    last_seen          timestamptz,
    last_sync          timestamptz,
    battery_level      double precision,
    battery_updated_at timestamptz,
    status             text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'degraded', 'offline'))
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE quality_issues (
    id             text PRIMARY KEY,
    user_id        text        NOT NULL,
    device_id      text        NOT NULL,
    metric         text,
    rule           text        NOT NULL,
    severity       text        NOT NULL,
    event_time     timestamptz NOT NULL,
    data_point_id  text,
    observed_value double precision,
    expected_min   double precision,
    expected_max   double precision,
    reason         text
);
CREATE INDEX quality_issues_device_time ON quality_issues (device_id, event_time);

CREATE TABLE device_alerts (
    id          text PRIMARY KEY,
    user_id     text        NOT NULL,
    device_id   text        NOT NULL,
    alert_type  text        NOT NULL,
    severity    text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('raised', 'cleared')),
    started_at  timestamptz NOT NULL,
    cleared_at  timestamptz,
    details     jsonb
);
CREATE INDEX device_alerts_device_type ON device_alerts (device_id, alert_type, started_at);

CREATE TABLE calibrations (
    id          text PRIMARY KEY,
    user_id     text             NOT NULL,
    device_id   text             NOT NULL,
    metric      text             NOT NULL,
    scale       double precision NOT NULL,
    "offset"    double precision NOT NULL,
    valid_from  timestamptz      NOT NULL,
    valid_to    timestamptz,
    source      text             NOT NULL,
    fit_quality double precision,
    pairs       integer
);
CREATE INDEX calibrations_device_metric_from ON calibrations (device_id, metric, valid_from);

CREATE TABLE calibration_events (
    id             text PRIMARY KEY,
    user_id        text        NOT NULL,
    device_id      text        NOT NULL,
    metric         text        NOT NULL,
    event_type     text        NOT NULL,
    event_time     timestamptz NOT NULL,
    calibration_id text,
    mard           double precision,
    bias           double precision,
    details        jsonb
);
CREATE INDEX calibration_events_device_time ON calibration_events (device_id, event_time);

CREATE TABLE sync_sessions (
    id             text PRIMARY KEY,
    user_id        text NOT NULL,
    device_id      text NOT NULL,
    sync_id        text NOT NULL,
    status         text NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    readings       integer,
    error          text
);
CREATE INDEX sync_sessions_device_time ON sync_sessions (device_id, started_at);

CREATE TABLE device_completeness (
    device_id  text        NOT NULL,
    metric     text        NOT NULL,
    hour       timestamptz NOT NULL,
    user_id    text        NOT NULL,
    expected   integer     NOT NULL,
    received   integer     NOT NULL,
    PRIMARY KEY (device_id, metric, hour)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['data_points', 'devices', 'quality_issues', 'device_alerts', 'calibrations',
                             'calibration_events', 'sync_sessions', 'device_completeness'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        -- current_setting(..., true) is NULL when unset, so a session that names no user sees nothing.
        EXECUTE format('CREATE POLICY user_isolation ON %I USING (user_id = current_setting(''vitasense.user_id'', true))', t);
    END LOOP;
END
$$;
