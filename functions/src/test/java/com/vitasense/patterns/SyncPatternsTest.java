package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.completeness;
import static com.vitasense.patterns.Signals.event;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYNC_TIMEOUT and DATA_INCOMPLETE. */
class SyncPatternsTest {
    private static final AlertRules RULES = AlertRules.defaults();

    @Test
    void aSyncNotCompletedWithinTheTimeoutTimesOutACompletedOneEndsIt() throws Exception {
        var in = shuffled(List.of(
                event("a", DeviceEvent.Type.SYNC_STARTED, 0, "s1"), event("a", DeviceEvent.Type.SYNC_COMPLETED, 2, "s1"),
                event("a", DeviceEvent.Type.SYNC_STARTED, 30, "s2"),
                // Another sync's end does not end s2.
                event("a", DeviceEvent.Type.SYNC_COMPLETED, 35, "s9"),
                event("a", DeviceEvent.Type.SYNC_STARTED, 60, "s3"), event("a", DeviceEvent.Type.SYNC_COMPLETED, 65, "s3"),
                // A failure ends the sync in time: that is SYNC_FAILING's business, not a timeout.
                event("b", DeviceEvent.Type.SYNC_STARTED, 0, "s1"), event("b", DeviceEvent.Type.SYNC_FAILED, 3, "s1")));
        assertThat(PatternRunner.run(new SyncTimeoutPattern(RULES), in)).containsExactlyInAnyOrder(
                "a SYNC_TIMEOUT ENDED WARNING at 2 from -",
                "a SYNC_TIMEOUT HOLDS WARNING at 40 from 30",
                "a SYNC_TIMEOUT ENDED WARNING at 65 from -");
    }

    @Test
    void anHourBelowTheObjectiveIsIncompleteTheNextCompleteHourEndsIt() throws Exception {
        var in = shuffled(List.of(completeness("cgm", 0, 12, 12), completeness("cgm", 1, 12, 9),
                completeness("cgm", 2, 12, 0), completeness("cgm", 3, 12, 11), completeness("watch", 0, 0, 0)));
        assertThat(PatternRunner.run(new DataIncompletePattern(RULES), in)).containsExactlyInAnyOrder(
                "cgm DATA_INCOMPLETE/glucose ENDED WARNING at 60 from 0",
                "cgm DATA_INCOMPLETE/glucose HOLDS WARNING at 120 from 60",
                "cgm DATA_INCOMPLETE/glucose HOLDS WARNING at 180 from 120",
                "cgm DATA_INCOMPLETE/glucose ENDED WARNING at 240 from 180");
    }
}
