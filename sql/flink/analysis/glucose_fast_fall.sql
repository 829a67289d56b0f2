-- Fast glucose falls, found with MATCH_RECOGNIZE over the processed readings in event time.
--
-- Answers: when did a user's glucose fall fast, the situation in which CGM apps show a "falling
-- quickly" arrow and a hypo may follow? A fall is a run of CGM readings, each at or below the one
-- before, that ends 40 mg/dL or more below where it started within less than 20 minutes (2 mg/dL
-- per minute or faster). One row per fall:
--   fall_start, from_mg_dl  the reading the fall started from
--   fall_end, to_mg_dl      the first reading 40 mg/dL or more below it
--   drop_mg_dl, minutes     how far and how fast
-- A fall that goes on after that is reported again from the reading after fall_end.
-- Reads the device-data-processed topic. In batch mode (the default) it reports the falls in
-- what the topic holds now; with --mode streaming it reports each new fall as soon as the
-- watermark passes it (5 minutes of event time after its last reading). Streaming is for live
-- data: over a backlog, a partition read ahead of the others moves the watermark past readings
-- not read yet, and those arrive late and are skipped; for the history, use batch mode.
-- Readings the pipeline marked implausible or filled in are left out; a reading sent twice
-- (at-least-once delivery) repeats the value before it and does not break a fall.
SELECT *
FROM (
    SELECT user_id, device_id, start_time, `value` AS mg_dl
    FROM kafka.device_data_processed
    WHERE metric = 'glucose'
      AND `value` IS NOT NULL
      AND NOT ARRAY_CONTAINS(quality_flags, 'OUT_OF_RANGE')
      AND NOT ARRAY_CONTAINS(quality_flags, 'IMPOSSIBLE_JUMP')
      AND NOT ARRAY_CONTAINS(quality_flags, 'INTERPOLATED')
)
MATCH_RECOGNIZE (
    PARTITION BY user_id, device_id
    ORDER BY start_time
    MEASURES
        START_.start_time                                         AS fall_start,
        START_.mg_dl                                              AS from_mg_dl,
        BOTTOM.start_time                                         AS fall_end,
        BOTTOM.mg_dl                                              AS to_mg_dl,
        ROUND(START_.mg_dl - BOTTOM.mg_dl, 1)                     AS drop_mg_dl,
        TIMESTAMPDIFF(MINUTE, START_.start_time, BOTTOM.start_time) AS minutes
    ONE ROW PER MATCH
    AFTER MATCH SKIP PAST LAST ROW
    -- Reluctant FALL*? so that a fall ends at the first reading that completes it.
    PATTERN (START_ FALL*? BOTTOM) WITHIN INTERVAL '20' MINUTE
    DEFINE
        -- Flink has no PREV: LAST(FALL.mg_dl, 1) is the reading before this one in the fall.
        FALL   AS FALL.mg_dl <= COALESCE(LAST(FALL.mg_dl, 1), START_.mg_dl),
        BOTTOM AS BOTTOM.mg_dl <= COALESCE(LAST(FALL.mg_dl), START_.mg_dl)
              AND START_.mg_dl - BOTTOM.mg_dl >= 40
);
