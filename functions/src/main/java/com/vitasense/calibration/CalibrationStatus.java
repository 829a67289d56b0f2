package com.vitasense.calibration;

import com.vitasense.records.Calibration;
import java.util.Objects;

/**
 * The small per-(device, metric) state of {@link CalibrationCorrection}: the version in force, the
 * sensor session, the schedule and the drift episode. A Flink POJO, so it lives in keyed state
 * without Kryo.
 */
public class CalibrationStatus {
    public String userId;
    public String deviceId;
    public String metric;
    public String deviceModel;
    /** The version in force after the newest reference; null before the first one. */
    public Calibration current;
    /** Event time of the last real reading processed in order. */
    public Long lastReadingTime;
    public Long sessionStart;
    /** End of the current session's warm-up; null where the model has none. */
    public Long warmupUntil;
    /** The schedule counts from here: the last calibration, or the end of a new session's warm-up. */
    public Long scheduleAnchor;
    public boolean dueReported;
    public boolean overdueReported;
    /** Inside a drift episode (DRIFT_DETECTED emitted, DRIFT_RESOLVED not yet). */
    public boolean drifting;
    /** RECALIBRATION_RECOMMENDED emitted in the current drift episode. */
    public boolean recommended;
    /** The latest event time of anything the key processed; the state expires from it. */
    public long lastActivity = Long.MIN_VALUE;

    public CalibrationStatus() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CalibrationStatus s)) return false;
        return dueReported == s.dueReported && overdueReported == s.overdueReported && drifting == s.drifting
                && recommended == s.recommended && lastActivity == s.lastActivity && Objects.equals(userId, s.userId)
                && Objects.equals(deviceId, s.deviceId) && Objects.equals(metric, s.metric)
                && Objects.equals(deviceModel, s.deviceModel) && Objects.equals(current, s.current)
                && Objects.equals(lastReadingTime, s.lastReadingTime) && Objects.equals(sessionStart, s.sessionStart)
                && Objects.equals(warmupUntil, s.warmupUntil) && Objects.equals(scheduleAnchor, s.scheduleAnchor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, metric);
    }
}
