package com.vitasense.quality;

import java.util.Objects;

/**
 * What {@link DeviceMetricQuality} remembers of one device's metric between readings, in event
 * time order. A Flink POJO: boxed fields are null until the first reading sets them.
 */
public class SeriesState {
    /** Time and value of the last real reading (null value for a sensor limit or implausible value). */
    public Long lastTime;
    public Double lastValue;
    /** Whether the last real reading was a measurement gaps may be interpolated from. */
    public boolean lastUsable;
    /** The last accepted value that jumps are measured from. */
    public Long anchorTime;
    public Double anchorValue;
    /** Readings in a row flagged as impossible jumps; enough of them mean the level really moved. */
    public int consecutiveJumps;
    /** The earliest receipt time seen for this series. */
    public Long firstSeen;

    /** Who and what the series is, for records emitted from timers where no reading is at hand. */
    public String userId;
    public String deviceId;
    public String vendor;
    /** The device model of the latest reading: per-model rules apply to the hours it closes. */
    public String deviceModel;
    public String metric;

    public SeriesState() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SeriesState s)) return false;
        return lastUsable == s.lastUsable && consecutiveJumps == s.consecutiveJumps
                && Objects.equals(lastTime, s.lastTime) && Objects.equals(lastValue, s.lastValue)
                && Objects.equals(anchorTime, s.anchorTime) && Objects.equals(anchorValue, s.anchorValue)
                && Objects.equals(firstSeen, s.firstSeen) && Objects.equals(userId, s.userId)
                && Objects.equals(deviceId, s.deviceId) && Objects.equals(vendor, s.vendor)
                && Objects.equals(deviceModel, s.deviceModel) && Objects.equals(metric, s.metric);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, metric, lastTime);
    }
}
