-- Data completeness per device and vendor: how many of the readings a device should have sent
-- did it send?
--
-- Answers: which devices (and which vendors) leave holes in the data? One row per device and
-- metric, then one total row per vendor (device_id '(all)').
--   hours             hours the pipeline accounted for (hours close behind the watermark)
--   expected          readings expected in those hours at the device's interval (e.g. a Dexcom
--                     every 5 minutes: 12 an hour); only metrics with an expected interval count
--   received          readings received (an hour counts at most its expected readings)
--   completeness_pct  100 x received / expected; a CGM report wants 70 % or more
--   incomplete_hours  hours with fewer readings than expected
--   empty_hours       hours with no reading at all, inside a reported gap (a device silent until
--                     now has no row for the hours since its last reading)
-- Filled-in (INTERPOLATED) points do not count as received. Reads device_completeness and
-- devices; batch mode.
SELECT COALESCE(d.vendor, 'unknown')                                                     AS vendor,
       CASE WHEN GROUPING(c.device_id) = 1 THEN '(all)' ELSE c.device_id END             AS device_id,
       CASE WHEN GROUPING(c.device_id) = 1 THEN '' ELSE COALESCE(d.model, 'unknown') END AS device_model,
       CASE WHEN GROUPING(c.device_id) = 1 THEN '' ELSE c.metric END                     AS metric,
       COUNT(*)                                                                          AS hours,
       SUM(c.expected)                                                                   AS expected,
       SUM(LEAST(c.received, c.expected))                                                AS received,
       ROUND(100.0 * SUM(LEAST(c.received, c.expected)) / SUM(c.expected), 1)            AS completeness_pct,
       SUM(CASE WHEN c.received < c.expected THEN 1 ELSE 0 END)                          AS incomplete_hours,
       SUM(CASE WHEN c.received = 0 THEN 1 ELSE 0 END)                                   AS empty_hours
FROM device_completeness c
LEFT JOIN devices d ON d.device_id = c.device_id
WHERE c.expected > 0
GROUP BY GROUPING SETS ((d.vendor, c.device_id, d.model, c.metric), (d.vendor))
ORDER BY vendor, GROUPING(c.device_id), device_id, metric;
