-- CGM glucose management indicator (GMI) and glucose variability (coefficient of variation), per
-- user and CGM: the other headline numbers of a standard CGM report (the ambulatory glucose
-- profile), next to cgm_time_in_range.
--
-- Answers: what HbA1c does the mean glucose correspond to, and how much does glucose swing?
--   mean_mg_dl  mean glucose, mg/dL
--   sd_mg_dl    standard deviation (sample), mg/dL
--   cv_pct      coefficient of variation = 100 x SD / mean; 36 % or less is read as stable glucose,
--               above 36 % as labile (international consensus, Diabetes Care 2017 and 2019)
--   gmi_pct     GMI (%) = 3.31 + 0.02392 x mean glucose in mg/dL (Bergenstal et al.,
--               Diabetes Care 2018): the HbA1c the mean glucose predicts
--   days        calendar days (UTC) with readings; GMI and CV want 14 days or more
-- Readings the pipeline marked implausible (OUT_OF_RANGE, IMPOSSIBLE_JUMP) or filled in
-- (INTERPOLATED) are left out. Reads data_points (de-duplicated); batch mode.
SELECT user_id,
       device_id,
       readings,
       days,
       ROUND(mean_mg_dl, 1)                      AS mean_mg_dl,
       ROUND(sd_mg_dl, 1)                        AS sd_mg_dl,
       ROUND(100 * sd_mg_dl / mean_mg_dl, 1)     AS cv_pct,
       CASE WHEN 100 * sd_mg_dl / mean_mg_dl <= 36 THEN 'stable' ELSE 'labile' END AS variability,
       ROUND(3.31 + 0.02392 * mean_mg_dl, 2)     AS gmi_pct
FROM (
    SELECT user_id,
           device_id,
           COUNT(*)                              AS readings,
           COUNT(DISTINCT CAST(start_time AS DATE)) AS days,
           AVG(`value`)                          AS mean_mg_dl,
           STDDEV_SAMP(`value`)                  AS sd_mg_dl
    FROM data_points
    WHERE metric = 'glucose'
      AND `value` IS NOT NULL
      AND NOT ARRAY_CONTAINS(quality_flags, 'OUT_OF_RANGE')
      AND NOT ARRAY_CONTAINS(quality_flags, 'IMPOSSIBLE_JUMP')
      AND NOT ARRAY_CONTAINS(quality_flags, 'INTERPOLATED')
    GROUP BY user_id, device_id
)
ORDER BY user_id, device_id;
