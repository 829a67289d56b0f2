package com.vitasense.quality;

import static com.vitasense.quality.QualityTestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QualityScoreTest {
    private static DataPoint p() {
        return point("u", "d", "dexcom", "glucose", 100, "mg/dL", Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void cleanPointsScoreOne() {
        assertThat(QualityScore.of(p())).isEqualTo(1.0);
        assertThat(QualityScore.of(p().withFlag(QualityFlag.LATE))).isEqualTo(1.0);
    }

    @Test
    void flagsMultiply() {
        assertThat(QualityScore.of(p().withFlag(QualityFlag.OUT_OF_RANGE))).isEqualTo(0.0);
        assertThat(QualityScore.of(p().withFlag(QualityFlag.INTERPOLATED))).isEqualTo(0.5);
        assertThat(QualityScore.of(p().withFlag(QualityFlag.DEVICE_DISAGREEMENT).withFlag(QualityFlag.USER_ENTERED)))
                .isEqualTo(0.63);
    }

    @Test
    void outliersLoseMoreTheMoreAnomalousTheyAre() {
        DataPoint mild = p().withFlag(QualityFlag.OUTLIER);
        mild.anomalyScore = 0.9;
        DataPoint severe = p().withFlag(QualityFlag.OUTLIER);
        severe.anomalyScore = 1.0;
        assertThat(QualityScore.of(mild)).isEqualTo(0.33);
        assertThat(QualityScore.of(severe)).isEqualTo(0.3);
    }

    @Test
    void mapSetsTheScoreOnACopy() {
        DataPoint in = p().withFlag(QualityFlag.INTERPOLATED);
        DataPoint out = new QualityScore().map(in);
        assertThat(out.qualityScore).isEqualTo(0.5);
        assertThat(in.qualityScore).isNull();
    }
}
