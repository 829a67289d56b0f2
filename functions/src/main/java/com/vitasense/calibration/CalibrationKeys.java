package com.vitasense.calibration;

import com.vitasense.records.DataPoint;
import com.vitasense.records.ReferenceMeasurement;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/**
 * The (device, metric) keys that join readings and references in {@link CalibrationCorrection}:
 * {@code deviceId|metric}, the same string the quality stage's (device, metric) key produces.
 */
public final class CalibrationKeys {
    private CalibrationKeys() {}

    public static KeySelector<DataPoint, String> points() {
        return new PointKey();
    }

    public static KeySelector<ReferenceMeasurement, String> references() {
        return new ReferenceKey();
    }

    static String key(String deviceId, String metric) {
        return deviceId + "|" + metric;
    }

    private static final class PointKey implements KeySelector<DataPoint, String>, ResultTypeQueryable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DataPoint p) {
            return key(p.deviceId, p.metric);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    private static final class ReferenceKey implements KeySelector<ReferenceMeasurement, String>,
            ResultTypeQueryable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ReferenceMeasurement r) {
            return key(r.deviceId, r.metric);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
