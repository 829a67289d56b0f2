package com.vitasense.calibration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Json;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Marks the weeks in which a vendor is still learning its user (WHOOP {@code user_calibrating}):
 * every status report that says so becomes a {@code USER_CALIBRATING} event at the report's time,
 * about the scores it concerns ({@value #METRIC}). A mark, never an alarm.
 *
 * <p>Stateless, so the backfill and the stream mark exactly the same reports.
 */
public class UserCalibratingMarks implements FlatMapFunction<DeviceEvent, CalibrationEvent> {
    private static final long serialVersionUID = 1L;

    /** WHOOP reports the flag on recovery records; the recovery score is what it qualifies. */
    public static final String METRIC = "recovery_score";

    @Override
    public void flatMap(DeviceEvent e, Collector<CalibrationEvent> out) {
        if (!Boolean.TRUE.equals(e.calibrating) || e.eventTime == null) return;
        CalibrationEvent c = CalibrationEvent.of(CalibrationEvent.Type.USER_CALIBRATING, e.userId, e.deviceId, METRIC,
                e.eventTime);
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("vendor", e.vendor);
        d.put("reason", "the vendor reports its scores as still calibrating to the user; not an alarm");
        c.details = d.toString();
        out.collect(c);
    }
}
