-- CGM time in range: the share of glucose readings in each range of the international consensus
-- on CGM metrics (Battelino et al., Diabetes Care 2019), per user and CGM.
--
-- Answers: how much of the time was each user's glucose in range, below and above it?
--   very_low_pct   below 54 mg/dL           (time below range, level 2; target < 1 %)
--   low_pct        54 to below 70 mg/dL     (time below range, level 1; with very low, target < 4 %)
--   in_range_pct   70 to 180 mg/dL          (time in range; target > 70 %)
--   high_pct       above 180 to 250 mg/dL   (time above range, level 1; with very high, target < 25 %)
--   very_high_pct  above 250 mg/dL          (time above range, level 2; target < 5 %)
-- The five add up to 100 (give or take rounding). With readings at a regular interval the share
-- of readings is the share of time; a report should cover 14 days or more, and data_completeness
-- shows how much of it the CGM actually reported.
-- Readings the pipeline marked implausible (OUT_OF_RANGE, IMPOSSIBLE_JUMP) or filled in
-- (INTERPOLATED) are left out. Glucose is in mg/dL (mmol/L readings were converted on the way in).
-- Reads data_points (de-duplicated); batch mode.
SELECT user_id,
       device_id,
       COUNT(*)                                                                        AS readings,
       MIN(start_time)                                                                 AS first_reading,
       MAX(start_time)                                                                 AS last_reading,
       ROUND(100.0 * SUM(CASE WHEN `value` < 54 THEN 1 ELSE 0 END) / COUNT(*), 1)                     AS very_low_pct,
       ROUND(100.0 * SUM(CASE WHEN `value` >= 54 AND `value` < 70 THEN 1 ELSE 0 END) / COUNT(*), 1)   AS low_pct,
       ROUND(100.0 * SUM(CASE WHEN `value` >= 70 AND `value` <= 180 THEN 1 ELSE 0 END) / COUNT(*), 1) AS in_range_pct,
       ROUND(100.0 * SUM(CASE WHEN `value` > 180 AND `value` <= 250 THEN 1 ELSE 0 END) / COUNT(*), 1) AS high_pct,
       ROUND(100.0 * SUM(CASE WHEN `value` > 250 THEN 1 ELSE 0 END) / COUNT(*), 1)                    AS very_high_pct
FROM data_points
WHERE metric = 'glucose'
  AND `value` IS NOT NULL
  AND NOT ARRAY_CONTAINS(quality_flags, 'OUT_OF_RANGE')
  AND NOT ARRAY_CONTAINS(quality_flags, 'IMPOSSIBLE_JUMP')
  AND NOT ARRAY_CONTAINS(quality_flags, 'INTERPOLATED')
GROUP BY user_id, device_id
ORDER BY user_id, device_id;
