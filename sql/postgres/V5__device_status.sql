-- VitaSense schema, version 5: the device status values the vendor payloads carry, which earlier
-- versions parsed and then dropped.
--
-- Each group has the event time of the report it came from, and the upsert keeps the newest report
-- of each group (like battery_level/battery_updated_at), so a replay or a backfill of older data
-- never turns a device's state back.
--
-- battery_state: the vendor's coarse battery state in lower case: Fitbit devices' battery
-- (high, medium, low, empty), Oura's low_battery_alert on a sleep period (low).
ALTER TABLE devices ADD COLUMN battery_state text;
ALTER TABLE devices ADD COLUMN battery_state_updated_at timestamptz;

-- charging / in_charger: Oura ring_battery_level's charging and in_charger (a full ring sits in
-- its charger without charging); NULL when the newest report did not say.
ALTER TABLE devices ADD COLUMN charging boolean;
ALTER TABLE devices ADD COLUMN in_charger boolean;
ALTER TABLE devices ADD COLUMN charging_updated_at timestamptz;

-- The newest sensor error the vendor reported in place of a reading: a Nightscout sgv below 39
-- (code 1, 5, 9, 12, ...) or a Dexcom EGV without a value (code no_value), its description, and
-- when it happened.
ALTER TABLE devices ADD COLUMN sensor_error_code text;
ALTER TABLE devices ADD COLUMN sensor_error text;
ALTER TABLE devices ADD COLUMN sensor_error_at timestamptz;
