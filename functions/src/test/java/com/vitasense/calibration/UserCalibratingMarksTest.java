package com.vitasense.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DeviceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class UserCalibratingMarksTest {
    private static DeviceEvent status(Boolean calibrating) {
        DeviceEvent e = new DeviceEvent();
        e.type = DeviceEvent.Type.DEVICE_STATUS.name();
        e.userId = "u-3";
        e.deviceId = "whoop-3";
        e.vendor = "whoop";
        e.eventTime = Instant.parse("2026-11-27T07:00:00Z");
        e.calibrating = calibrating;
        return e;
    }

    @Test
    void onlyReportsThatSayCalibratingAreMarked() {
        List<CalibrationEvent> out = new ArrayList<>();
        UserCalibratingMarks marks = new UserCalibratingMarks();
        marks.flatMap(status(true), new ListCollector<>(out));
        marks.flatMap(status(false), new ListCollector<>(out));
        marks.flatMap(status(null), new ListCollector<>(out));
        assertThat(out).hasSize(1);
        CalibrationEvent e = out.get(0);
        assertThat(e.eventType).isEqualTo("USER_CALIBRATING");
        assertThat(e.metric).isEqualTo("recovery_score");
        assertThat(e.id).isEqualTo(CalibrationEvent.id("whoop-3", "recovery_score", CalibrationEvent.Type.USER_CALIBRATING,
                Instant.parse("2026-11-27T07:00:00Z")));
        assertThat(e.details).contains("not an alarm");
    }
}
