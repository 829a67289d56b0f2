package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.at;
import static com.vitasense.patterns.Signals.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceUpdate;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raised once per episode, cleared once, nothing repeated while open, state and timers released. */
class AlertLifecycleTest {
    private KeyedOneInputStreamOperatorTestHarness<String, AlertCondition, DeviceAlert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertLifecycle(AlertRules.defaults())),
                c -> c.deviceId, org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static AlertCondition condition(String device, AlertType type, AlertCondition.Phase phase, String severity,
                                            double minute, Double startMinute) {
        AlertCondition c = new AlertCondition();
        c.userId = "u-" + device;
        c.deviceId = device;
        c.vendor = "dexcom";
        c.alertType = type.name();
        c.severity = severity;
        c.phase = phase.name();
        c.eventTime = at(minute);
        c.startedAt = startMinute == null ? null : at(startMinute);
        return c;
    }

    private void send(AlertCondition c) throws Exception {
        harness.processElement(new StreamRecord<>(c, c.eventTime.toEpochMilli()));
    }

    private void watermark(double minute) throws Exception {
        harness.processWatermark(new Watermark(at(minute).toEpochMilli()));
    }

    private List<String> alerts() {
        return harness.extractOutputValues().stream().map(a -> a.alertType + (a.metric != null ? "/" + a.metric : "") + " "
                + a.status + " " + a.severity + " " + minutes(a.startedAt) + (a.clearedAt != null ? ".." + minutes(a.clearedAt) : "")).toList();
    }

    private List<String> statuses() {
        return harness.getSideOutput(AlertLifecycle.STATUS).stream().map(StreamRecord::getValue)
                .map((DeviceUpdate u) -> u.status + "@" + minutes(u.statusAt)).toList();
    }

    @Test
    void raisedOnceWhileHeldClearedOnceThenStateIsGone() throws Exception {
        // Out of order within the watermark: applied in event-time order all the same.
        send(condition("cgm", AlertType.BATTERY_LOW, AlertCondition.Phase.HOLDS, "WARNING", 20, 20.0));
        send(condition("cgm", AlertType.BATTERY_LOW, AlertCondition.Phase.HOLDS, "WARNING", 10, 10.0));
        send(condition("cgm", AlertType.BATTERY_LOW, AlertCondition.Phase.HOLDS, "WARNING", 30, 30.0));
        assertThat(harness.numEventTimeTimers()).isPositive();
        watermark(30);
        assertThat(alerts()).containsExactly("BATTERY_LOW raised WARNING 10");
        send(condition("cgm", AlertType.BATTERY_LOW, AlertCondition.Phase.ENDED, "WARNING", 40, 40.0));
        send(condition("cgm", AlertType.BATTERY_LOW, AlertCondition.Phase.ENDED, "WARNING", 45, 45.0));
        watermark(24 * 60 * 8);
        assertThat(alerts()).containsExactly("BATTERY_LOW raised WARNING 10", "BATTERY_LOW cleared WARNING 10..40");
        assertThat(statuses()).containsExactly("degraded@10", "ok@40");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        // Same episode start, same id; a new episode, a new id.
        List<DeviceAlert> out = harness.extractOutputValues();
        assertThat(out.get(0).id).isEqualTo(out.get(1).id)
                .isEqualTo(DeviceAlert.idOf("cgm", "BATTERY_LOW", null, at(10)));
    }

    @Test
    void quietConditionsClearAfterTheirQuietPeriodAndASecondEpisodeGetsANewId() throws Exception {
        for (int m : new int[] {0, 5, 10}) {
            send(condition("cgm", AlertType.SENSOR_ERROR, AlertCondition.Phase.HOLDS, "WARNING", m, m - 10.0).quietAfter(30 * 60_000));
        }
        send(condition("cgm", AlertType.SENSOR_ERROR, AlertCondition.Phase.HOLDS, "WARNING", 100, 90.0).quietAfter(30 * 60_000));
        watermark(24 * 60 * 8);
        assertThat(alerts()).containsExactly("SENSOR_ERROR raised WARNING -10", "SENSOR_ERROR cleared WARNING -10..40",
                "SENSOR_ERROR raised WARNING 90", "SENSOR_ERROR cleared WARNING 90..130");
        assertThat(harness.extractOutputValues().get(0).id).isNotEqualTo(harness.extractOutputValues().get(2).id);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aGapEpisodeIsRaisedAndClearedInOneStep() throws Exception {
        AlertCondition gap = condition("cgm", AlertType.CONNECTIVITY_LOST, AlertCondition.Phase.EPISODE, "URGENT", 100, 60.0);
        gap.endedAt = at(100);
        send(gap);
        send(condition("cgm", AlertType.FLATLINE, AlertCondition.Phase.HOLDS, "WARNING", 50, 10.0).forMetric("glucose")
                .quietAfter(30 * 60_000));
        watermark(24 * 60 * 8);
        assertThat(alerts()).containsExactly("FLATLINE/glucose raised WARNING 10", "FLATLINE/glucose cleared WARNING 10..80",
                "CONNECTIVITY_LOST raised URGENT 60", "CONNECTIVITY_LOST cleared URGENT 60..100");
        // Offline and back within one point in stream time is no change of status.
        assertThat(statuses()).containsExactly("degraded@50", "ok@80");
    }

    @Test
    void aWatchdogEpisodeIsClosedByTheGapWithTheSameStartAndEscalatesOnlyUpwards() throws Exception {
        AlertCondition warn = condition("cgm", AlertType.CONNECTIVITY_LOST, AlertCondition.Phase.HOLDS, "WARNING", 75, 60.0);
        warn.watchdog = true;
        send(warn);
        AlertCondition urgent = condition("cgm", AlertType.CONNECTIVITY_LOST, AlertCondition.Phase.HOLDS, "URGENT", 90, 60.0);
        urgent.watchdog = true;
        send(urgent);
        send(warn);
        assertThat(alerts()).containsExactly("CONNECTIVITY_LOST raised WARNING 60", "CONNECTIVITY_LOST raised URGENT 60");
        assertThat(statuses()).containsExactly("offline@75");
        AlertCondition gap = condition("cgm", AlertType.CONNECTIVITY_LOST, AlertCondition.Phase.EPISODE, "URGENT", 100, 60.0);
        gap.endedAt = at(100);
        send(gap);
        watermark(24 * 60 * 8);
        assertThat(alerts()).containsExactly("CONNECTIVITY_LOST raised WARNING 60", "CONNECTIVITY_LOST raised URGENT 60",
                "CONNECTIVITY_LOST cleared URGENT 60..100");
        assertThat(statuses()).containsExactly("offline@75", "ok@100");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void manyShortLivedDevicesLeaveNoState() throws Exception {
        for (int d = 0; d < 500; d++) {
            send(condition("dev-" + d, AlertType.SPIKE, AlertCondition.Phase.HOLDS, "WARNING", d, (double) d)
                    .forMetric("glucose").quietAfter(30 * 60_000));
            AlertCondition gap = condition("dev-" + d, AlertType.CONNECTIVITY_LOST, AlertCondition.Phase.EPISODE, "WARNING",
                    d + 20, d + 1.0);
            gap.endedAt = at(d + 20);
            send(gap);
        }
        watermark(24 * 60 * 30);
        assertThat(harness.extractOutputValues()).hasSize(2000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
