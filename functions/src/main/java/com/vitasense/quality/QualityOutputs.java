package com.vitasense.quality;

import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.QualityIssue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs every quality function shares, so the topology collects them in one place. */
public final class QualityOutputs {
    private QualityOutputs() {}

    /** Problems found, for {@code data-quality-issues} and {@code quality_issues}. */
    public static final OutputTag<QualityIssue> ISSUES =
            new OutputTag<>("quality-issues", TypeInformation.of(QualityIssue.class));

    /** Expected vs received readings per device, metric and hour, for {@code device_completeness}. */
    public static final OutputTag<DeviceCompleteness> COMPLETENESS =
            new OutputTag<>("device-completeness", TypeInformation.of(DeviceCompleteness.class));
}
