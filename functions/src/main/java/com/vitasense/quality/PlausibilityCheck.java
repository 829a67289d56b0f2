package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Flags values outside their {@link PlausibilityRanges plausible range} with
 * {@link QualityFlag#OUT_OF_RANGE}. Never drops: an implausible reading is still evidence (of a
 * failing sensor, for one) and the design keeps every reading, flagged.
 *
 * <p>Stateless, so it needs no key. Categorical points (no value) are passed through unchecked.
 * A flagged point is a copy, so the input object is never mutated (safe with object reuse).
 */
public class PlausibilityCheck implements MapFunction<DataPoint, DataPoint> {
    private static final long serialVersionUID = 1L;

    private final PlausibilityRanges ranges;

    public PlausibilityCheck() {
        this(PlausibilityRanges.defaults());
    }

    public PlausibilityCheck(PlausibilityRanges ranges) {
        this.ranges = ranges;
    }

    @Override
    public DataPoint map(DataPoint point) {
        return violated(point) == null ? point : point.copy().withFlag(QualityFlag.OUT_OF_RANGE);
    }

    /** The range the point's value lies outside of, or null if it is plausible (or categorical). */
    public PlausibilityRanges.Range violated(DataPoint point) {
        if (point.value == null) return null;
        PlausibilityRanges.Range range = ranges.rangeFor(point.metric, point.deviceModel);
        return range == null || range.contains(point.value) ? null : range;
    }
}
