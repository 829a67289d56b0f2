package com.vitasense.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs one pattern as the topology does (filtered input, keyed, CEP in event time) over bounded
 * input on a local environment of parallelism 2, so one subtask may hold no key at all, in
 * streaming and in batch mode; the two must agree.
 */
final class PatternRunner {
    private PatternRunner() {}

    /** The conditions, described and sorted (subtasks interleave their outputs). */
    static List<String> run(DevicePattern p, List<DeviceSignal> input) throws Exception {
        List<String> streaming = run(p, input, RuntimeExecutionMode.STREAMING);
        List<String> batch = run(p, input, RuntimeExecutionMode.BATCH);
        assertThat(batch).as("batch agrees with streaming").isEqualTo(streaming);
        return streaming;
    }

    static List<String> run(DevicePattern p, List<DeviceSignal> input, RuntimeExecutionMode mode) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(ExecutionOptions.RUNTIME_MODE, mode);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        DataStream<DeviceSignal> in = env.fromData(input, TypeInformation.of(DeviceSignal.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<DeviceSignal>forBoundedOutOfOrderness(Duration.ofDays(1))
                        .withTimestampAssigner((s, previous) -> s.eventTimeMillis())
                        .withIdleness(Duration.ofSeconds(1)));
        var keyed = in.filter(p::accepts).keyBy(p.key() == DevicePattern.Key.SERIES
                ? DeviceSignal::seriesKey : DeviceSignal::deviceKey);
        SingleOutputStreamOperator<AlertCondition> matched = CEP.pattern(keyed, p.pattern(), new SignalOrder()).inEventTime()
                .process(p.process(), TypeInformation.of(AlertCondition.class));
        DataStream<AlertCondition> out = p.process() instanceof TimedOutPartialMatchHandler<?>
                ? matched.union(matched.getSideOutput(DevicePattern.TIMED_OUT)) : matched;
        List<String> result = new ArrayList<>();
        try (CloseableIterator<AlertCondition> it = out.executeAndCollect()) {
            it.forEachRemaining(c -> result.add(Signals.describe(c)));
        }
        result.sort(null);
        return result;
    }
}
