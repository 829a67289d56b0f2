package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * The quality score of a point, in [0, 1]: how much a consumer should trust it. It starts at 1
 * and is multiplied by a factor for every quality flag the point carries (the table below, also in
 * the README); an outlier additionally loses in proportion to its anomaly score. A pure function of
 * the point, applied after every flag is set, so the same point always gets the same score.
 */
public final class QualityScore implements MapFunction<DataPoint, DataPoint> {
    private static final long serialVersionUID = 1L;

    static final Map<QualityFlag, Double> FACTORS = new EnumMap<>(QualityFlag.class);

    static {
        FACTORS.put(QualityFlag.OUT_OF_RANGE, 0.0);
        FACTORS.put(QualityFlag.SENSOR_LIMIT_HIGH, 0.3);
        FACTORS.put(QualityFlag.SENSOR_LIMIT_LOW, 0.3);
        FACTORS.put(QualityFlag.IMPOSSIBLE_JUMP, 0.2);
        FACTORS.put(QualityFlag.TIMESTAMP_SUSPECT, 0.5);
        FACTORS.put(QualityFlag.INTERPOLATED, 0.5);
        FACTORS.put(QualityFlag.OUTLIER, 0.6);
        FACTORS.put(QualityFlag.DEVICE_DISAGREEMENT, 0.7);
        FACTORS.put(QualityFlag.USER_ENTERED, 0.9);
        FACTORS.put(QualityFlag.LATE, 1.0);
        FACTORS.put(QualityFlag.DUPLICATE, 1.0);
        FACTORS.put(QualityFlag.CALIBRATED, 1.0);
    }

    public static double of(DataPoint p) {
        double score = 1.0;
        for (QualityFlag flag : p.flags()) {
            score *= FACTORS.getOrDefault(flag, 1.0);
        }
        if (p.hasFlag(QualityFlag.OUTLIER) && p.anomalyScore != null) {
            score *= 1.0 - 0.5 * p.anomalyScore;
        }
        return Math.round(score * 1000) / 1000.0;
    }

    @Override
    public DataPoint map(DataPoint p) {
        DataPoint scored = p.copy();
        scored.qualityScore = of(p);
        return scored;
    }
}
