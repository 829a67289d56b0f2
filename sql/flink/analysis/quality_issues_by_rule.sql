-- Data-quality issues per rule: what the pipeline's quality checks found, per rule and metric.
--
-- Answers: which problems does the incoming data have, how often, and on how many devices? One row
-- per rule, severity and metric, most frequent first (the rules are in README.md, "Data quality").
--   issues            issues found
--   devices           devices with such an issue
--   first_event       event time (the reading's time) of the first and the last issue
--   last_event
--   per_1000_readings issues per 1000 readings of that metric (filled-in points not counted)
-- Reads quality_issues and data_points; batch mode.
WITH readings AS (
    SELECT metric, COUNT(*) AS readings
    FROM data_points
    WHERE NOT ARRAY_CONTAINS(quality_flags, 'INTERPOLATED')
    GROUP BY metric
)
SELECT q.rule,
       q.severity,
       q.metric,
       COUNT(*)                                            AS issues,
       COUNT(DISTINCT q.device_id)                         AS devices,
       MIN(q.event_time)                                   AS first_event,
       MAX(q.event_time)                                   AS last_event,
       ROUND(1000.0 * COUNT(*) / MAX(r.readings), 1)       AS per_1000_readings
FROM quality_issues q
LEFT JOIN readings r ON r.metric = q.metric
GROUP BY q.rule, q.severity, q.metric
ORDER BY issues DESC, q.rule, q.metric;
