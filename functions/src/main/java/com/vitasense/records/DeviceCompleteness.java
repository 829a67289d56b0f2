package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * Readings expected and received for one device, metric and hour: the row of
 * {@code device_completeness}. Re-emitted when a late reading changes the count; the table keeps
 * the largest count, so replays and late updates never lower it.
 */
public class DeviceCompleteness {
    public String deviceId;
    public String metric;
    public Instant hour;
    public String userId;
    public int expected;
    public int received;

    public DeviceCompleteness() {}

    public DeviceCompleteness(String deviceId, String metric, Instant hour, String userId, int expected, int received) {
        this.deviceId = deviceId;
        this.metric = metric;
        this.hour = hour;
        this.userId = userId;
        this.expected = expected;
        this.received = received;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeviceCompleteness c)) return false;
        return expected == c.expected && received == c.received && Objects.equals(deviceId, c.deviceId)
                && Objects.equals(metric, c.metric) && Objects.equals(hour, c.hour) && Objects.equals(userId, c.userId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, metric, hour, received);
    }

    @Override
    public String toString() {
        return "DeviceCompleteness{" + deviceId + " " + metric + " " + hour + " " + received + "/" + expected + "}";
    }
}
