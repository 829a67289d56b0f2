-- Device alerts per alert type and device model.
--
-- Answers: which alerts fire, on which device models, and how long do they take to clear? One row
-- per alert type and device model, most frequent first.
--   alerts                alerts raised (each alert counts once, raised or since cleared)
--   devices               devices that raised this alert
--   open                  alerts still raised now
--   mean_minutes_to_clear mean time from started_at to cleared_at over the cleared alerts;
--                         NULL when none has cleared
-- Reads device_alerts and devices (the model, 'unknown' for a device not in devices); batch mode.
SELECT a.alert_type,
       COALESCE(d.model, 'unknown')                                  AS device_model,
       COUNT(*)                                                      AS alerts,
       COUNT(DISTINCT a.device_id)                                   AS devices,
       SUM(CASE WHEN a.status = 'raised' THEN 1 ELSE 0 END)          AS `open`,
       ROUND(AVG(CASE WHEN a.cleared_at IS NOT NULL
                      THEN CAST(TIMESTAMPDIFF(SECOND, a.started_at, a.cleared_at) AS DOUBLE) / 60 END), 1)
                                                                     AS mean_minutes_to_clear
FROM device_alerts a
LEFT JOIN devices d ON d.device_id = a.device_id
GROUP BY a.alert_type, COALESCE(d.model, 'unknown')
ORDER BY alerts DESC, alert_type, device_model;
