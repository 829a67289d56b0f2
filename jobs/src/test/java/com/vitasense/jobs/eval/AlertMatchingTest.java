package com.vitasense.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.patterns.AlertType;
import com.vitasense.records.DeviceAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertMatchingTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(15);

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static AlertLabel label(String device, AlertType type, String metric, int from, int to) {
        return new AlertLabel(device, type.name(), metric, at(from), at(to));
    }

    private static DeviceAlert alert(String device, AlertType type, String metric, int start, String status) {
        DeviceAlert a = new DeviceAlert();
        a.deviceId = device;
        a.alertType = type.name();
        a.metric = metric;
        a.startedAt = at(start);
        a.status = status;
        a.severity = "WARNING";
        a.id = DeviceAlert.idOf(device, a.alertType, metric, a.startedAt);
        return a;
    }

    private static DeviceAlert raised(String device, AlertType type, String metric, int start) {
        return alert(device, type, metric, start, DeviceAlert.RAISED);
    }

    @Test
    void anAlertStartingInTheWindowOrWithinTheToleranceOfItMatches() {
        AlertLabel spike = label("cgm-1", AlertType.SPIKE, "glucose", 0, 30);
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "glucose", 10), TOLERANCE)).isTrue();
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "glucose", -15), TOLERANCE)).isTrue();
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "glucose", 45), TOLERANCE)).isTrue();
        // A device-level label accepts the alert's metric and the other way round.
        assertThat(AlertMatching.matches(label("cgm-1", AlertType.SPIKE, null, 0, 30),
                raised("cgm-1", AlertType.SPIKE, "glucose", 0), TOLERANCE)).isTrue();
    }

    @Test
    void anAlertOutsideTheWindowOfAnotherDeviceTypeOrMetricDoesNotMatch() {
        AlertLabel spike = label("cgm-1", AlertType.SPIKE, "glucose", 0, 30);
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "glucose", -16), TOLERANCE)).as("too early").isFalse();
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "glucose", 46), TOLERANCE)).as("too late").isFalse();
        assertThat(AlertMatching.matches(spike, raised("cgm-2", AlertType.SPIKE, "glucose", 10), TOLERANCE)).as("wrong device").isFalse();
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.FLATLINE, "glucose", 10), TOLERANCE)).as("wrong type").isFalse();
        assertThat(AlertMatching.matches(spike, raised("cgm-1", AlertType.SPIKE, "heart_rate", 10), TOLERANCE)).as("wrong metric").isFalse();
    }

    @Test
    void scoresPerTypeCountEachEpisodeOnceAndEachAlertOnce() {
        List<AlertLabel> labels = List.of(
                label("cgm-1", AlertType.SPIKE, "glucose", 0, 5),
                label("cgm-1", AlertType.SPIKE, "glucose", 200, 205),
                label("cgm-1", AlertType.FLATLINE, "glucose", 400, 460),
                label("ring-1", AlertType.BATTERY_LOW, null, 0, 120));
        List<DeviceAlert> alerts = List.of(
                raised("cgm-1", AlertType.SPIKE, "glucose", 0),
                alert("cgm-1", AlertType.SPIKE, "glucose", 0, DeviceAlert.CLEARED), // the same episode's end: ignored
                // The second spike was missed; one elsewhere matches nothing.
                raised("cgm-1", AlertType.SPIKE, "glucose", 600),
                // A flatline split in two: one true positive, one false positive.
                raised("cgm-1", AlertType.FLATLINE, "glucose", 400),
                raised("cgm-1", AlertType.FLATLINE, "glucose", 440),
                // A severity change re-emits the raised alert under its id: counted once.
                raised("ring-1", AlertType.BATTERY_LOW, null, 10),
                raised("ring-1", AlertType.BATTERY_LOW, null, 10));

        AlertMatching.Result r = AlertMatching.evaluate(labels, alerts, TOLERANCE);

        assertThat(r.score(AlertType.SPIKE)).isEqualTo(new AlertMatching.Score("SPIKE", 2, 2, 1));
        assertThat(r.score(AlertType.FLATLINE)).isEqualTo(new AlertMatching.Score("FLATLINE", 1, 2, 1));
        assertThat(r.score(AlertType.BATTERY_LOW)).isEqualTo(new AlertMatching.Score("BATTERY_LOW", 1, 1, 1));
        assertThat(r.score(AlertType.SYNC_TIMEOUT)).isEqualTo(new AlertMatching.Score("SYNC_TIMEOUT", 0, 0, 0));
        assertThat(r.score(AlertType.SPIKE).precision()).isEqualTo(0.5);
        assertThat(r.score(AlertType.SPIKE).recall()).isEqualTo(0.5);
        assertThat(r.score(AlertType.SYNC_TIMEOUT).precision()).isNaN();
        assertThat(r.overall()).isEqualTo(new AlertMatching.Score("overall", 4, 5, 3));
        assertThat(r.missedLabels()).containsExactly(labels.get(1));
        assertThat(r.unmatchedAlerts()).extracting(a -> a.alertType + "@" + a.startedAt)
                .containsExactly("FLATLINE@" + at(440), "SPIKE@" + at(600));
        assertThat(r.table()).contains("SPIKE                     2       2          1      0.500   0.500")
                .contains("SYNC_TIMEOUT              0       0          0          -       -")
                .contains("overall                   4       5          3      0.600   0.750");
    }

    @Test
    void oneAlertNeverCoversTwoEpisodes() {
        List<AlertLabel> labels = List.of(label("cgm-1", AlertType.SENSOR_ERROR, null, 0, 30),
                label("cgm-1", AlertType.SENSOR_ERROR, null, 35, 60));
        AlertMatching.Result r = AlertMatching.evaluate(labels,
                List.of(raised("cgm-1", AlertType.SENSOR_ERROR, null, 32)), TOLERANCE);
        assertThat(r.score(AlertType.SENSOR_ERROR)).isEqualTo(new AlertMatching.Score("SENSOR_ERROR", 2, 1, 1));
    }
}
