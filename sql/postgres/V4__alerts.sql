-- VitaSense schema, version 4: what the device and sync patterns write.
--
-- devices.status is written from the alert lifecycle's status changes, each with the event time of
-- the change; the newest change wins, so a replay or a backfill of older data never turns the
-- status of a device back.
ALTER TABLE devices ADD COLUMN status_updated_at timestamptz;

-- Per-sensor alerts (FLATLINE, SPIKE, DATA_INCOMPLETE, ...) name their metric; device-level ones
-- leave it NULL. The metric is part of the alert id.
ALTER TABLE device_alerts ADD COLUMN metric text;

-- The sync interval recommended for the device when the session ended, from its observed data
-- rate and recent failures, and the numbers behind it (readings_per_hour, recent_syncs,
-- recent_failures, failure_rate).
ALTER TABLE sync_sessions ADD COLUMN recommended_interval_s integer;
ALTER TABLE sync_sessions ADD COLUMN details jsonb;
