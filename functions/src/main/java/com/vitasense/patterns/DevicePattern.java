package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;

/**
 * One alert rule as a CEP pattern: which signals it looks at, the pattern over them (always with a
 * {@code within}, so partial matches never outlive it), and how a match becomes alert conditions.
 * The topology runs every pattern on event-time input keyed by {@link #key()}.
 */
public interface DevicePattern extends Serializable {
    /** Conditions a pattern derives from partial matches that timed out (SYNC_TIMEOUT). */
    OutputTag<AlertCondition> TIMED_OUT = new OutputTag<>("timed-out-conditions", TypeInformation.of(AlertCondition.class));

    /** How a pattern's input is keyed. */
    enum Key {
        /** One device: device-level rules (battery, sync, connectivity, counts of issues). */
        DEVICE,
        /** One sensor of one device (device and metric): rules over a series of readings. */
        SERIES
    }

    AlertType type();

    Key key();

    /** True for the signals the pattern matches over; the others never reach its state. */
    boolean accepts(DeviceSignal s);

    Pattern<DeviceSignal, ?> pattern();

    PatternProcessFunction<DeviceSignal, AlertCondition> process();

    /** A stable operator uid for the pattern's CEP operator. */
    default String uid() {
        return "pattern-" + type().name().toLowerCase().replace('_', '-');
    }
}
