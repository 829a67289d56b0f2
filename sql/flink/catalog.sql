-- VitaSense Flink SQL catalog: the pipeline's Kafka topics and PostgreSQL tables as Flink tables.
--
-- Run by `./vitasense sql -f FILE` (and the same runner under `flink run`) before FILE. The
-- ${name} parameters are filled in by the runner from its flags and VITASENSE_* variables:
--   ${kafka.bootstrap}       --kafka-bootstrap          ${jdbc.url}       --jdbc-url
--   ${topic.processed} ...   --topic-processed ...      ${jdbc.user}      --jdbc-user
--   ${kafka.bounded-mode}    from --mode: batch reads topics up to their end offsets at the start
--                            of the query ('latest-offset'), streaming reads on ('unbounded')
--   ${jdbc.password}         VITASENSE_JDBC_PASSWORD or --jdbc-password-file, never a file here
--
-- Layout:
--   default database  the PostgreSQL tables (sql/postgres): de-duplicated, one row per id; what
--                     most analyses should read
--   kafka database    the topics (kafka.device_data_processed, ...): every record as sent, with
--                     event time and watermarks on the reading times; at-least-once delivery
--                     means a record can appear twice, so de-duplicate on `id` where it matters
--
-- Times: every time is UTC. Topic times are TIMESTAMP_LTZ (the records carry ISO-8601 instants;
-- the runner's session time zone is UTC). PostgreSQL timestamptz columns are TIMESTAMP(3) holding
-- UTC: Flink's JDBC connector cannot read timestamptz as TIMESTAMP_LTZ and converts it through the
-- JVM's default time zone, which the runner sets to UTC (on a cluster, run the TaskManagers in
-- UTC, as the official Flink images do).

CREATE DATABASE IF NOT EXISTS kafka COMMENT 'the pipeline''s Kafka topics';

-- ---------------------------------------------------------------------------------------------
-- Topics
-- ---------------------------------------------------------------------------------------------

-- device-data-raw: raw envelopes as devices and vendor integrations send them. Only received_at
-- is a time every envelope has (the reading times are inside the vendor's payload). Malformed
-- records are skipped here; they are on the dead-letter topic with their reason.
CREATE TABLE kafka.device_data_raw (
    vendor       STRING,
    kind         STRING,
    user_id      STRING,
    device_id    STRING,
    received_at  TIMESTAMP_LTZ(3),
    time_zone    STRING,
    sync_id      STRING,
    payload      STRING COMMENT 'the vendor''s own JSON, as text: use JSON_VALUE(payload, ''$.field'')',
    WATERMARK FOR received_at AS received_at - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.raw}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.ignore-parse-errors' = 'true'
);

-- device-data-processed: canonical data points, as in data_points. Event time is the reading's
-- start_time; the watermark allows the pipeline's default out-of-orderness (5 minutes).
CREATE TABLE kafka.device_data_processed (
    id               STRING,
    revision         INT,
    user_id          STRING,
    device_id        STRING,
    vendor           STRING,
    device_model     STRING,
    metric           STRING,
    `value`          DOUBLE,
    category         STRING,
    unit             STRING,
    raw_value        STRING,
    raw_unit         STRING,
    start_time       TIMESTAMP_LTZ(3),
    end_time         TIMESTAMP_LTZ(3),
    time_source      STRING,
    quality_flags    ARRAY<STRING>,
    quality_score    DOUBLE,
    anomaly_score    DOUBLE,
    calibration_id   STRING,
    source_record_id STRING,
    ingested_at      TIMESTAMP_LTZ(3),
    WATERMARK FOR start_time AS start_time - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.processed}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

-- device-data-dlq: what the pipeline could not process, with the reason and the source record.
-- Event time is the source record's Kafka timestamp.
CREATE TABLE kafka.device_data_dlq (
    id           STRING,
    reason       STRING,
    error        STRING,
    vendor       STRING,
    kind         STRING,
    topic        STRING,
    `partition`  INT,
    `offset`     BIGINT,
    `timestamp`  BIGINT COMMENT 'the source record''s Kafka timestamp, epoch milliseconds',
    `raw`        STRING,
    source_time AS TO_TIMESTAMP_LTZ(`timestamp`, 3),
    WATERMARK FOR source_time AS source_time - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.dlq}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json'
);

-- data-quality-issues: one record per issue, as in quality_issues. Event time is the reading's.
CREATE TABLE kafka.data_quality_issues (
    id              STRING,
    rule            STRING,
    severity        STRING,
    user_id         STRING,
    device_id       STRING,
    metric          STRING,
    event_time      TIMESTAMP_LTZ(3),
    data_point_id   STRING,
    observed_value  DOUBLE,
    expected_min    DOUBLE,
    expected_max    DOUBLE,
    reason          STRING,
    WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.quality-issues}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

-- device-anomalies: alerts, one record when raised and one when cleared (same id), as in
-- device_alerts. Event time is when the alert started.
CREATE TABLE kafka.device_anomalies (
    id          STRING,
    user_id     STRING,
    device_id   STRING,
    alert_type  STRING,
    severity    STRING,
    status      STRING COMMENT 'raised or cleared',
    started_at  TIMESTAMP_LTZ(3),
    cleared_at  TIMESTAMP_LTZ(3),
    details     STRING COMMENT 'JSON object, as text',
    WATERMARK FOR started_at AS started_at - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.anomalies}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

-- calibration-events: calibration events per device and metric, as in calibration_events.
CREATE TABLE kafka.calibration_events (
    id              STRING,
    user_id         STRING,
    device_id       STRING,
    metric          STRING,
    event_type      STRING,
    event_time      TIMESTAMP_LTZ(3),
    calibration_id  STRING,
    mard            DOUBLE COMMENT 'mean absolute relative difference to the references, percent',
    bias            DOUBLE,
    details         STRING COMMENT 'JSON object, as text',
    WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic.calibration-events}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = '${kafka.bounded-mode}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

-- ---------------------------------------------------------------------------------------------
-- PostgreSQL tables (read-only here: the pipeline owns them)
--
-- Rows are fetched 1000 at a time (a cursor, which PostgreSQL only keeps outside auto-commit).
-- Row-level security applies: a role that does not own the tables sees the rows of the user named
-- in the session setting vitasense.user_id, e.g. --jdbc-url
-- 'jdbc:postgresql://db:5432/vitasense?options=-c%20vitasense.user_id%3Du-17'.
-- jsonb columns (device_alerts.details, calibration_events.details) are left out: the connector
-- cannot read jsonb; query them in PostgreSQL or on the topics.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE data_points (
    id               STRING,
    revision         INT,
    user_id          STRING,
    device_id        STRING,
    vendor           STRING,
    device_model     STRING,
    metric           STRING,
    `value`          DOUBLE,
    category         STRING,
    unit             STRING,
    raw_value        STRING,
    raw_unit         STRING,
    start_time       TIMESTAMP(3),
    end_time         TIMESTAMP(3),
    time_source      STRING,
    quality_flags    ARRAY<STRING>,
    quality_score    DOUBLE,
    anomaly_score    DOUBLE,
    calibration_id   STRING,
    source_record_id STRING,
    ingested_at      TIMESTAMP(3),
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'data_points',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

CREATE TABLE devices (
    device_id          STRING,
    user_id            STRING,
    vendor             STRING,
    model              STRING,
    last_seen          TIMESTAMP(3),
    last_sync          TIMESTAMP(3),
    battery_level      DOUBLE,
    battery_updated_at TIMESTAMP(3),
    status             STRING,
    status_updated_at  TIMESTAMP(3),
    battery_state      STRING,
    battery_state_updated_at TIMESTAMP(3),
    charging           BOOLEAN,
    in_charger         BOOLEAN,
    charging_updated_at TIMESTAMP(3),
    sensor_error_code  STRING,
    sensor_error       STRING,
    sensor_error_at    TIMESTAMP(3),
    PRIMARY KEY (device_id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'devices',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

CREATE TABLE quality_issues (
    id             STRING,
    user_id        STRING,
    device_id      STRING,
    metric         STRING,
    rule           STRING,
    severity       STRING,
    event_time     TIMESTAMP(3),
    data_point_id  STRING,
    observed_value DOUBLE,
    expected_min   DOUBLE,
    expected_max   DOUBLE,
    reason         STRING,
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'quality_issues',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

CREATE TABLE device_alerts (
    id          STRING,
    user_id     STRING,
    device_id   STRING,
    alert_type  STRING,
    severity    STRING,
    status      STRING,
    started_at  TIMESTAMP(3),
    cleared_at  TIMESTAMP(3),
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'device_alerts',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

-- The column "offset" is a reserved word in PostgreSQL, and the connector does not quote column
-- names in the SELECT it sends; declaring the Flink column with the quotes in its name makes the
-- connector send "offset". In Flink SQL write it as `"offset"`.
CREATE TABLE calibrations (
    id          STRING,
    user_id     STRING,
    device_id   STRING,
    metric      STRING,
    scale       DOUBLE,
    `"offset"`  DOUBLE,
    valid_from  TIMESTAMP(3),
    valid_to    TIMESTAMP(3),
    source      STRING,
    fit_quality DOUBLE,
    pairs       INT,
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'calibrations',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

CREATE TABLE calibration_events (
    id             STRING,
    user_id        STRING,
    device_id      STRING,
    metric         STRING,
    event_type     STRING,
    event_time     TIMESTAMP(3),
    calibration_id STRING,
    mard           DOUBLE,
    bias           DOUBLE,
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'calibration_events',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

CREATE TABLE sync_sessions (
    id          STRING,
    user_id     STRING,
    device_id   STRING,
    sync_id     STRING,
    status      STRING,
    started_at  TIMESTAMP(3),
    finished_at TIMESTAMP(3),
    readings    INT,
    error       STRING,
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'sync_sessions',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);

-- Expected vs received readings per device, metric and hour (hours close behind the watermark).
CREATE TABLE device_completeness (
    device_id  STRING,
    metric     STRING,
    `hour`     TIMESTAMP(3),
    user_id    STRING,
    expected   INT,
    received   INT,
    PRIMARY KEY (device_id, metric, `hour`) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${jdbc.url}',
    'table-name' = 'device_completeness',
    'username' = '${jdbc.user}',
    'password' = '${jdbc.password}',
    'scan.fetch-size' = '1000',
    'scan.auto-commit' = 'false'
);
