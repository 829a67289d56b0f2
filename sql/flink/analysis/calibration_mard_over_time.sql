-- Calibration accuracy over time: MARD per device and day, from the calibration events.
--
-- Answers: how far are a sensor's readings from the reference measurements, and is it drifting?
-- One row per device, metric and day (UTC) with at least one event that carries a MARD.
--   events        calibration events with a MARD that day
--   mard_pct      mean absolute relative difference between the device's readings and the
--                 references, percent (mean over the day's events); CGMs are specified at about
--                 8-10 %, so a rising MARD means the sensor drifts or needs calibrating
--   min_mard_pct  best and worst event of the day
--   max_mard_pct
--   mean_bias     mean signed difference (reading minus reference, in the metric's unit): a
--                 persistent positive or negative bias is what a calibration corrects
-- Reads calibration_events and devices (for the model); batch mode.
SELECT e.device_id,
       COALESCE(d.model, 'unknown')       AS device_model,
       e.metric,
       CAST(e.event_time AS DATE)         AS `day`,
       COUNT(*)                           AS events,
       ROUND(AVG(e.mard), 1)              AS mard_pct,
       ROUND(MIN(e.mard), 1)              AS min_mard_pct,
       ROUND(MAX(e.mard), 1)              AS max_mard_pct,
       ROUND(AVG(e.bias), 1)              AS mean_bias
FROM calibration_events e
LEFT JOIN devices d ON d.device_id = e.device_id
WHERE e.mard IS NOT NULL
GROUP BY e.device_id, COALESCE(d.model, 'unknown'), e.metric, CAST(e.event_time AS DATE)
ORDER BY e.device_id, e.metric, `day`;
