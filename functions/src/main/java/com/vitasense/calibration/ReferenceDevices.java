package com.vitasense.calibration;

import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Devices without references of their own: where a metric has a reference device model configured
 * ({@code calibration.reference-device.heart_rate=Polar H10}), a reading of such a device becomes
 * a reference measurement for each other device of the same user that measured the metric in the
 * last reference interval, at most one per target device and interval (the first reading of the
 * reference device in each interval), with source {@code device:<reference device id>}. Keyed by
 * (user, metric), after the quality stage, which emits a user's readings of a metric in event-time
 * order in both modes, so the stream and a backfill derive the same references.
 *
 * <p>Only plausible, on-time, real readings count, on either side. State: the target devices with
 * the time last seen and the last interval used per reference device, dropped by an event-time
 * timer after the calibration state retention.
 */
public class ReferenceDevices extends KeyedProcessFunction<String, DataPoint, ReferenceMeasurement> {
    private static final long serialVersionUID = 1L;

    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** Source prefix of references derived from a device. */
    public static final String SOURCE_PREFIX = "device:";

    private final CalibrationRules rules;

    private transient MapState<String, Long> targets;
    private transient MapState<String, Long> lastInterval;

    public ReferenceDevices(CalibrationRules rules) {
        this.rules = rules;
    }

    /** (user, metric): {@code userId|metric}. */
    public static KeySelector<DataPoint, String> keySelector() {
        return new UserMetricKey();
    }

    @Override
    public void open(OpenContext openContext) {
        targets = getRuntimeContext().getMapState(new MapStateDescriptor<>("target-devices", Types.STRING, Types.LONG));
        lastInterval = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("reference-intervals", Types.STRING, Types.LONG));
    }

    @Override
    public void processElement(DataPoint p, Context ctx, Collector<ReferenceMeasurement> out) throws Exception {
        if (!usable(p)) return;
        long t = p.eventTimeMillis();
        ctx.timerService().registerEventTimeTimer(
                Math.floorDiv(t + rules.stateRetention().toMillis(), HOUR) * HOUR + HOUR);
        if (!rules.isReferenceDevice(p.metric, p.deviceModel)) {
            Long seen = targets.get(p.deviceId);
            targets.put(p.deviceId, seen == null ? t : Math.max(seen, t));
            return;
        }
        long interval = Math.floorDiv(t, rules.referenceInterval().toMillis());
        Long last = lastInterval.get(p.deviceId);
        if (last != null && last >= interval) return;
        lastInterval.put(p.deviceId, interval);
        List<String> devices = new ArrayList<>();
        for (Map.Entry<String, Long> e : targets.entries()) {
            if (!e.getKey().equals(p.deviceId) && e.getValue() > t - rules.referenceInterval().toMillis()) {
                devices.add(e.getKey());
            }
        }
        devices.sort(null);
        for (String device : devices) out.collect(reference(p, device));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReferenceMeasurement> out) throws Exception {
        long retention = rules.stateRetention().toMillis();
        List<String> quiet = new ArrayList<>();
        for (Map.Entry<String, Long> e : targets.entries()) {
            if (e.getValue() + retention <= timestamp) quiet.add(e.getKey());
        }
        for (String d : quiet) targets.remove(d);
        List<String> done = new ArrayList<>();
        long interval = rules.referenceInterval().toMillis();
        for (Map.Entry<String, Long> e : lastInterval.entries()) {
            if ((e.getValue() + 1) * interval + retention <= timestamp) done.add(e.getKey());
        }
        for (String d : done) lastInterval.remove(d);
    }

    private static boolean usable(DataPoint p) {
        return p.value != null && !p.hasFlag(QualityFlag.LATE) && !p.hasFlag(QualityFlag.INTERPOLATED)
                && !p.hasFlag(QualityFlag.OUT_OF_RANGE) && !p.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH)
                && !p.hasFlag(QualityFlag.SENSOR_LIMIT_LOW) && !p.hasFlag(QualityFlag.TIMESTAMP_SUSPECT)
                && !p.hasFlag(QualityFlag.OUTLIER);
    }

    private static ReferenceMeasurement reference(DataPoint p, String target) {
        ReferenceMeasurement r = new ReferenceMeasurement();
        r.userId = p.userId;
        r.deviceId = target;
        r.vendor = p.vendor;
        r.metric = p.metric;
        r.value = p.value;
        r.unit = p.unit;
        r.rawValue = p.rawValue;
        r.rawUnit = p.rawUnit;
        r.time = p.startTime;
        r.source = SOURCE_PREFIX + p.deviceId;
        r.id = Ids.hash("reference", r.userId, r.deviceId, r.metric, r.time.toString(), r.source);
        return r;
    }

    private static final class UserMetricKey implements KeySelector<DataPoint, String>, ResultTypeQueryable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DataPoint p) {
            return p.userId + "|" + p.metric;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
