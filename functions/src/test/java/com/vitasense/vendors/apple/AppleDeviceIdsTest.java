package com.vitasense.vendors.apple;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class AppleDeviceIdsTest {

    @Test
    void deviceIdUsesTheUserThenHardwareThenNameThenSource() {
        String watch = "<<HKDevice: 0x283a4c0f0>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
                + "hardware:Watch6,1, software:9.1>";
        assertThat(AppleDeviceIds.deviceId("u-1", "Jane's Apple Watch", watch))
                .isEqualTo("apple-69a6b92660bf-watch6-1-janes-apple-watch");
        assertThat(AppleDeviceIds.deviceId("u-1", "Jane\u2019s Apple Watch", watch.replace("0x283a4c0f0", "0x1")))
                .as("typographic apostrophe and another memory address: the same device")
                .isEqualTo("apple-69a6b92660bf-watch6-1-janes-apple-watch");
        assertThat(AppleDeviceIds.deviceId("u-1", "Contour", "<<HKDevice: 0x2>, name:Contour Next One, manufacturer:Ascensia>"))
                .isEqualTo("apple-69a6b92660bf-contour-next-one-contour");
        assertThat(AppleDeviceIds.deviceId("u-1", "MyFitnessPal", null)).isEqualTo("apple-69a6b92660bf-myfitnesspal");
        assertThat(AppleDeviceIds.deviceId("u-1", null, null)).isEqualTo("apple-69a6b92660bf-unknown");
    }

    @Test
    void twoUsersWithAlikeWatchesHaveTwoDevices() {
        // Both watches keep the default name on the same hardware: only the owner tells them apart.
        String watch = "<<HKDevice: 0x1>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch7,2>";
        assertThat(AppleDeviceIds.deviceId("u-1", "Apple Watch", watch))
                .isNotEqualTo(AppleDeviceIds.deviceId("u-2", "Apple Watch", watch))
                .isEqualTo(AppleDeviceIds.deviceId("u-1", "Apple Watch", watch.replace("0x1", "0x2")));
    }

    @Test
    void deviceFieldsKeepCommasInsideValues() {
        assertThat(AppleDeviceIds.deviceFields("<<HKDevice: 0x283a4c0f0>, name:Apple Watch, manufacturer:Apple Inc., "
                + "model:Watch, hardware:Watch6,1, software:9.1>"))
                .containsExactly(
                        java.util.Map.entry("name", "Apple Watch"),
                        java.util.Map.entry("manufacturer", "Apple Inc."),
                        java.util.Map.entry("model", "Watch"),
                        java.util.Map.entry("hardware", "Watch6,1"),
                        java.util.Map.entry("software", "9.1"));
        assertThat(AppleDeviceIds.deviceFields("free text without fields")).isEmpty();
    }

    @Test
    void slugsFoldAccentsAndKeepNonLatinNamesApart() {
        assertThat(AppleDeviceIds.slug("  Zoë's  Ring ")).isEqualTo("zoes-ring");
        String a = AppleDeviceIds.slug("\u30b8\u30a7\u30fc\u30f3\u306eApple Watch");
        String b = AppleDeviceIds.slug("\u592a\u90ce\u306eApple Watch");
        assertThat(a).startsWith("apple-watch-").isNotEqualTo(b);
        assertThat(AppleDeviceIds.slug("x".repeat(200))).hasSize(48);
    }

    @Test
    void datesParseWithTheirOffsetAndFormatBack() {
        OffsetDateTime t = AppleHealthDates.parse("2026-11-26 07:15:00 -0530");
        assertThat(t.toInstant()).hasToString("2026-11-26T12:45:00Z");
        ZonedDateTime berlin = ZonedDateTime.of(2026, 7, 1, 9, 5, 3, 0, ZoneId.of("Europe/Berlin"));
        assertThat(AppleHealthDates.format(berlin)).isEqualTo("2026-07-01 09:05:03 +0200");
        assertThat(AppleHealthDates.parse(AppleHealthDates.format(berlin)).toInstant()).isEqualTo(berlin.toInstant());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppleHealthDates.parse("2026-13-01 00:00:00 +0000"))
                .isInstanceOf(DateTimeException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppleHealthDates.parse("2026-11-27T10:00:00Z"))
                .isInstanceOf(DateTimeException.class);
    }
}
