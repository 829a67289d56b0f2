-- Per-user daily summary: heart rate, steps and sleep for each user and day.
--
-- Answers: how did each user's day look? One row per user and day (UTC) with any heart rate,
-- step or sleep reading.
--   hr_mean, hr_min, hr_max  heart rate over all the user's devices that day, bpm
--   steps                    steps counted that day, from the device that counted the most: two
--                            devices counting the same walk would otherwise count it twice
--   sleep_minutes            minutes in a sleep stage other than awake, in stages that started
--                            that day, from the device that recorded the most; NULL = no sleep data
-- Readings the pipeline marked implausible (OUT_OF_RANGE, IMPOSSIBLE_JUMP) or filled in
-- (INTERPOLATED) are left out. Reads data_points (de-duplicated); batch mode.
WITH readings AS (
    SELECT user_id, device_id, metric, `value`, category, start_time, end_time,
           CAST(start_time AS DATE) AS `day`
    FROM data_points
    WHERE metric IN ('heart_rate', 'steps', 'sleep_stage')
      AND NOT ARRAY_CONTAINS(quality_flags, 'OUT_OF_RANGE')
      AND NOT ARRAY_CONTAINS(quality_flags, 'IMPOSSIBLE_JUMP')
      AND NOT ARRAY_CONTAINS(quality_flags, 'INTERPOLATED')
),
heart_rate AS (
    SELECT user_id, `day`, AVG(`value`) AS hr_mean, MIN(`value`) AS hr_min, MAX(`value`) AS hr_max
    FROM readings
    WHERE metric = 'heart_rate'
    GROUP BY user_id, `day`
),
steps AS (
    SELECT user_id, `day`, MAX(device_steps) AS steps
    FROM (SELECT user_id, `day`, device_id, SUM(`value`) AS device_steps
          FROM readings
          WHERE metric = 'steps'
          GROUP BY user_id, `day`, device_id)
    GROUP BY user_id, `day`
),
sleep AS (
    SELECT user_id, `day`, MAX(device_minutes) AS sleep_minutes
    FROM (SELECT user_id, `day`, device_id, SUM(TIMESTAMPDIFF(MINUTE, start_time, end_time)) AS device_minutes
          FROM readings
          WHERE metric = 'sleep_stage' AND category <> 'awake'
          GROUP BY user_id, `day`, device_id)
    GROUP BY user_id, `day`
),
days AS (
    SELECT DISTINCT user_id, `day` FROM readings
)
SELECT d.user_id,
       d.`day`,
       ROUND(h.hr_mean, 1)        AS hr_mean,
       h.hr_min,
       h.hr_max,
       CAST(s.steps AS BIGINT)    AS steps,
       sl.sleep_minutes
FROM days d
LEFT JOIN heart_rate h ON h.user_id = d.user_id AND h.`day` = d.`day`
LEFT JOIN steps s      ON s.user_id = d.user_id AND s.`day` = d.`day`
LEFT JOIN sleep sl     ON sl.user_id = d.user_id AND sl.`day` = d.`day`
ORDER BY d.user_id, d.`day`;
