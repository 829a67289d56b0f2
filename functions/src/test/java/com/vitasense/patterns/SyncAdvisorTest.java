package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.event;
import static com.vitasense.patterns.Signals.reading;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.SyncSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Sync sessions and the recommended interval, from the data rate and recent failures. */
class SyncAdvisorTest {

    @Test
    void sessionsCarryReadingsAndARecommendationThatFailuresShorten() throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SyncAdvisor(AlertRules.defaults())), DeviceSignal::deviceKey, Types.STRING)) {
            harness.open();
            List<DeviceSignal> in = new ArrayList<>();
            // A CGM: 12 readings an hour, synced hourly; the third sync fails.
            for (int m = 0; m < 240; m += 5) in.add(reading("cgm", "glucose", m, 100));
            for (int h = 1; h <= 3; h++) {
                in.add(event("cgm", DeviceEvent.Type.SYNC_STARTED, 60 * h - 1, "s" + h));
                in.add(event("cgm", h == 3 ? DeviceEvent.Type.SYNC_FAILED : DeviceEvent.Type.SYNC_COMPLETED, 60 * h - 0.5, "s" + h));
            }
            // Arrival order is not event-time order: the advisor orders them itself.
            java.util.Collections.reverse(in);
            for (DeviceSignal s : in) harness.processElement(new StreamRecord<>(s, s.eventTimeMillis()));
            harness.processWatermark(new Watermark(Signals.at(300).toEpochMilli()));
            List<String> out = harness.extractOutputValues().stream().map((SyncSession s) -> s.syncId + " " + s.status
                    + " readings=" + s.readings + " every=" + s.recommendedIntervalSeconds).toList();
            // 60 readings per sync at 12 an hour: every 5 hours; a third of recent syncs failed: a sixth sooner.
            assertThat(out).containsExactly(
                    "s1 started readings=null every=null", "s1 completed readings=12 every=null",
                    "s2 started readings=null every=null", "s2 completed readings=12 every=18000",
                    "s3 started readings=null every=null", "s3 failed readings=null every=15000");
            assertThat(harness.extractOutputValues().get(1).id).isEqualTo(harness.extractOutputValues().get(0).id)
                    .isEqualTo(SyncSession.idOf("cgm", "s1"));
            harness.processWatermark(new Watermark(Signals.at(8 * 24 * 60).toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }
}
