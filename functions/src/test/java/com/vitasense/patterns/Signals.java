package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Signals of test devices, at minutes after {@link #T0}. */
final class Signals {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private Signals() {}

    static Instant at(double minute) {
        return T0.plusMillis(Math.round(minute * 60_000));
    }

    static DeviceSignal reading(String device, String metric, double minute, double value, QualityFlag... flags) {
        DataPoint p = new DataPoint();
        p.id = device + "-" + metric + "-" + minute;
        p.userId = "u-" + device;
        p.deviceId = device;
        p.vendor = "canonical";
        p.deviceModel = "model-" + device;
        p.metric = metric;
        p.value = value;
        p.startTime = at(minute);
        for (QualityFlag f : flags) p.withFlag(f);
        return DeviceSignal.from(p);
    }

    static DeviceSignal glucose(String device, double minute, double value, Double noise) {
        DeviceSignal s = reading(device, "glucose", minute, value);
        s.noise = noise;
        return s;
    }

    static DeviceSignal event(String device, DeviceEvent.Type type, double minute, String syncId) {
        DeviceEvent e = new DeviceEvent();
        e.type = type.name();
        e.userId = "u-" + device;
        e.deviceId = device;
        e.vendor = "canonical";
        e.deviceModel = "model-" + device;
        e.eventTime = at(minute);
        e.syncId = syncId;
        if (type == DeviceEvent.Type.SENSOR_ERROR) e.errorCode = syncId;
        if (type == DeviceEvent.Type.SYNC_FAILED) e.error = "timeout talking to the vendor";
        return DeviceSignal.from(e);
    }

    static DeviceSignal battery(String device, double minute, double percent) {
        DeviceEvent e = new DeviceEvent();
        e.type = DeviceEvent.Type.DEVICE_STATUS.name();
        e.userId = "u-" + device;
        e.deviceId = device;
        e.vendor = "canonical";
        e.eventTime = at(minute);
        e.batteryLevel = percent;
        return DeviceSignal.from(e);
    }

    static DeviceSignal issue(String device, double minute, QualityRule rule) {
        DataPoint p = new DataPoint();
        p.id = device + "-" + minute;
        p.userId = "u-" + device;
        p.deviceId = device;
        p.metric = "glucose";
        p.startTime = at(minute);
        p.value = 100.0;
        return DeviceSignal.from(QualityIssue.about(p, rule, QualityIssue.Severity.WARNING, "test", ""));
    }

    static DeviceSignal completeness(String device, int hour, int expected, int received) {
        return DeviceSignal.from(new DeviceCompleteness(device, "glucose", at(60.0 * hour), "u-" + device, expected, received));
    }

    /** The same signals in a fixed shuffled order: event time must decide, not arrival. */
    static List<DeviceSignal> shuffled(List<DeviceSignal> in) {
        List<DeviceSignal> out = new ArrayList<>(in);
        Collections.shuffle(out, new Random(17));
        return out;
    }

    /** A compact, order-free description of a condition for assertions. */
    static String describe(AlertCondition c) {
        return c.deviceId + " " + c.alertType + (c.metric != null ? "/" + c.metric : "") + " " + c.phase + " "
                + c.severity + " at " + minutes(c.eventTime) + " from " + (c.startedAt == null ? "-" : minutes(c.startedAt))
                + (c.endedAt != null ? " to " + minutes(c.endedAt) : "");
    }

    static String minutes(Instant t) {
        double m = (t.toEpochMilli() - T0.toEpochMilli()) / 60_000.0;
        return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(m);
    }
}
