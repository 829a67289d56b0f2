package com.vitasense.jobs.testing;

import com.vitasense.records.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** A bounded FLIP-27 source of raw records, standing in for a topic partition in topology tests. */
public final class BoundedRawSource {
    private BoundedRawSource() {}

    /** Emits {@code values} as records of topic {@code topic}, partition 0, offsets 0..n-1. */
    public static DataGeneratorSource<RawRecord> of(String topic, List<String> values) {
        ArrayList<String> copy = new ArrayList<>(values);
        return new DataGeneratorSource<>(
                index -> new RawRecord(copy.get(index.intValue()).getBytes(StandardCharsets.UTF_8), topic, 0, index, index),
                copy.size(),
                TypeInformation.of(RawRecord.class));
    }
}
