package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Devices that reach the platform through its own companion app, in the {@code canonical} format:
 * a Polar H10 chest strap relayed live (a {@code data_point} of heart rate every minute, no sync
 * sessions), or a
 * smart scale (body mass each morning, in kg or lb). A third role sends the user's fingerstick
 * glucose as {@code calibration} references for their CGM, under the CGM's device id.
 */
final class CanonicalDevice extends DeviceSimulator {
    /** What the device measures. */
    enum Role { HEART_STRAP, SCALE, FINGERSTICK }

    private final Role role;
    private final String model;

    private CanonicalDevice(Physiology body, String deviceId, Role role, String model, Duration syncEvery, long seed,
                            Instant start) {
        super(body, deviceId, "canonical", syncEvery, seed, start);
        this.role = role;
        this.model = model;
    }

    static CanonicalDevice strap(Physiology body, long seed, Instant start) {
        String serial = String.format("%08X", 0xC4A1E7B0L + 101L * body.user().index());
        return new CanonicalDevice(body, "polar-h10-" + serial.toLowerCase(), Role.HEART_STRAP, "Polar H10",
                Duration.ofMinutes(1), seed, start);
    }

    static CanonicalDevice scale(Physiology body, long seed, Instant start) {
        return new CanonicalDevice(body, "scale-" + body.user().id(), Role.SCALE, "Withings Body+",
                Duration.ofHours(1), seed, start);
    }

    /** Fingersticks sent for the CGM {@code cgmDeviceId}. */
    static CanonicalDevice fingerstick(Physiology body, String cgmDeviceId, long seed, Instant start) {
        return new CanonicalDevice(body, cgmDeviceId, Role.FINGERSTICK, null, Duration.ofHours(1), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        switch (role) {
            case HEART_STRAP -> every(from, to, Duration.ofMinutes(1), t -> out.envelope("data_point", object()
                    .put("metric", "heart_rate")
                    .put("value", Math.round(body.heartRate(t) + noise(1.5)))
                    .put("unit", "bpm")
                    .put("start_time", t.toString())
                    .put("device_model", model)));
            case SCALE -> {
                if (first || dailyAt(from, to, 7, 10)) {
                    Instant t = to.minusSeconds(300);
                    double kg = body.bodyMass(body.local(t).toLocalDate()) + noise(0.2);
                    boolean pounds = user.zone().getId().startsWith("America/");
                    out.envelope("data_point", object()
                            .put("metric", "body_mass")
                            .put("value", round(pounds ? kg / 0.45359237 : kg, 1))
                            .put("unit", pounds ? "lb" : "kg")
                            // Local time without offset: the envelope's time zone resolves it.
                            .put("start_time", body.local(t).toLocalDateTime().withNano(0).toString())
                            .put("device_model", model)
                            .put("source_record_id", "w-" + t.getEpochSecond()));
                }
            }
            case FINGERSTICK -> {
                if (first || dailyAt(from, to, 7, 40) || dailyAt(from, to, 19, 40)) {
                    Instant t = to.minusSeconds(240);
                    out.envelope("calibration", object()
                            .put("metric", "glucose")
                            .put("value", Math.round(body.glucose(t) + noise(6)))
                            .put("unit", "mg/dL")
                            .put("time", t.toString())
                            .put("source", "fingerstick"));
                }
            }
        }
    }

    @Override
    protected boolean reportsSyncs() {
        // The strap streams live through the app, without sessions; fingersticks are typed in and
        // travel under the CGM's id, whose sessions are the CGM vendor's.
        return role == Role.SCALE;
    }

    @Override
    protected ObjectNode status(Instant at) {
        if (role != Role.HEART_STRAP) return null;
        int h = (int) (at.getEpochSecond() / 3600 % 400);
        return object().put("battery_level", Math.max(5, 100 - h / 4)).put("firmware", "3.1.1").put("connected", true)
                .put("device_model", model);
    }
}
