package com.vitasense.vendors;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The parse stage of the pipeline: raw records in; canonical data points, reference measurements
 * and device events out, in one stream ({@link ParsedMeasurement}, split after event time is
 * assigned: {@link MeasurementSplit}); dead letters on a side output ({@link #DEAD_LETTERS}).
 *
 * <p>All logic is in {@link EnvelopeParser}, which never throws, so no input can fail the job.
 * Outputs keep the input record's timestamp (the broker time); event time is assigned downstream
 * from {@link DataPoint#startTime} by the job's watermark strategy.
 *
 * <p>Metrics (operator scope): {@code pointsParsed}, {@code deviceEventsParsed},
 * {@code referencesParsed}, {@code deadLetters}.
 */
public class RawRecordParser extends ProcessFunction<RawRecord, ParsedMeasurement> {
    private static final long serialVersionUID = 1L;

    /** Records that could not be processed, for {@code device-data-dlq}. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final EnvelopeParser parser;
    private final boolean emitReferences;

    private transient Counter points;
    private transient Counter deviceEvents;
    private transient Counter references;
    private transient Counter deadLetters;

    /** Parses with every vendor of the design ({@link VendorRegistry#defaults()}). */
    public RawRecordParser() {
        this(new EnvelopeParser());
    }

    public RawRecordParser(EnvelopeParser parser) {
        this(parser, true);
    }

    /**
     * @param emitReferences whether reference measurements are emitted; a topology
     *     without a stage that consumes them passes false, and they go to the dead letters as
     *     {@link DeadLetterReason#NOT_YET_SUPPORTED} instead of vanishing
     */
    public RawRecordParser(EnvelopeParser parser, boolean emitReferences) {
        this.parser = parser;
        this.emitReferences = emitReferences;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        points = metrics.counter("pointsParsed");
        deviceEvents = metrics.counter("deviceEventsParsed");
        references = metrics.counter("referencesParsed");
        deadLetters = metrics.counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<ParsedMeasurement> out) {
        ParseResult result = parser.parse(record);
        for (DataPoint p : result.points()) {
            out.collect(ParsedMeasurement.of(p));
        }
        for (DeviceEvent e : result.deviceEvents()) {
            out.collect(ParsedMeasurement.of(e));
        }
        for (ReferenceMeasurement r : result.references()) {
            if (emitReferences) {
                out.collect(ParsedMeasurement.of(r));
            } else {
                ctx.output(DEAD_LETTERS, DeadLetter.of(record, DeadLetterReason.NOT_YET_SUPPORTED,
                        "reference measurements are parsed but no calibration stage consumes them yet",
                        r.vendor, "calibration"));
            }
        }
        for (DeadLetter d : result.deadLetters()) {
            ctx.output(DEAD_LETTERS, d);
        }
        points.inc(result.points().size());
        deviceEvents.inc(result.deviceEvents().size());
        if (emitReferences) {
            references.inc(result.references().size());
            deadLetters.inc(result.deadLetters().size());
        } else {
            deadLetters.inc(result.deadLetters().size() + result.references().size());
        }
    }
}
