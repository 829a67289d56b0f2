package com.vitasense.calibration;

import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs of {@link CalibrationCorrection}. */
public final class CalibrationOutputs {
    private CalibrationOutputs() {}

    /** Calibration events, for {@code calibration_events} and {@code calibration-events}. */
    public static final OutputTag<CalibrationEvent> EVENTS =
            new OutputTag<>("calibration-events", TypeInformation.of(CalibrationEvent.class));
    /** Correction versions as they open and close, for {@code calibrations}. */
    public static final OutputTag<Calibration> VERSIONS =
            new OutputTag<>("calibrations", TypeInformation.of(Calibration.class));
}
