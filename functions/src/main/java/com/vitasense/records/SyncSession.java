package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One sync session of a device, as an upsert into {@code sync_sessions}: its start, its end and
 * outcome, and the sync interval recommended for the device at that point from its observed data
 * rate and recent failures. Fields a step does not know stay null; the upsert merges the steps.
 */
public class SyncSession {
    public static final String STARTED = "started";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public String id;
    public String userId;
    public String deviceId;
    public String syncId;
    public String status;
    public Instant startedAt;
    public Instant finishedAt;
    public String error;
    /** Readings measured since the device's previous completed sync, when this one completed. */
    public Integer readings;
    /** Recommended seconds between syncs, when the session ended; null before. */
    public Integer recommendedIntervalSeconds;
    /** JSON object with the metrics behind the recommendation. */
    public String details;

    public SyncSession() {}

    public static String idOf(String deviceId, String syncId) {
        return Ids.hash("sync_session", deviceId, syncId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SyncSession s)) return false;
        return Objects.equals(id, s.id) && Objects.equals(userId, s.userId) && Objects.equals(deviceId, s.deviceId)
                && Objects.equals(syncId, s.syncId) && Objects.equals(status, s.status)
                && Objects.equals(startedAt, s.startedAt) && Objects.equals(finishedAt, s.finishedAt)
                && Objects.equals(error, s.error) && Objects.equals(readings, s.readings) && Objects.equals(recommendedIntervalSeconds, s.recommendedIntervalSeconds)
                && Objects.equals(details, s.details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status);
    }

    @Override
    public String toString() {
        return "SyncSession{" + deviceId + " " + syncId + " " + status + " " + startedAt + ".." + finishedAt
                + " every " + recommendedIntervalSeconds + "s}";
    }
}
