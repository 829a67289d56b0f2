package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.TimeSource;
import java.time.Instant;

/** Canonical points for the quality functions' tests. */
final class QualityTestPoints {
    private QualityTestPoints() {}

    static DataPoint point(String user, String device, String vendor, String metric, double value, String unit, Instant t) {
        DataPoint p = new DataPoint();
        p.id = Ids.hash("point", user, device, metric, t.toString());
        p.revision = 1;
        p.userId = user;
        p.deviceId = device;
        p.vendor = vendor;
        p.metric = metric;
        p.value = value;
        p.unit = unit;
        p.rawValue = Double.toString(value);
        p.rawUnit = unit;
        p.startTime = t;
        p.endTime = t;
        p.timeSource = TimeSource.VENDOR_OFFSET.name();
        p.ingestedAt = t.plusSeconds(5);
        return p;
    }
}
