package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A FreeStyle Libre 3 sensor seen through LibreLinkUp every 15 minutes: {@code glucose} with the
 * sensor ({@code deviceId}, {@code sn}, activation {@code a} in epoch seconds) and the graph items
 * of the window ({@code FactoryTimestamp} in UTC and {@code Timestamp} in local time, both as
 * {@code M/d/yyyy h:mm:ss a}). Users outside the US read mmol/L ({@code GlucoseUnits} 0): the
 * {@code Value} is then in mmol/L while {@code ValueInMgPerDl} stays in mg/dL.
 */
final class LibreDevice extends DeviceSimulator {
    private static final DateTimeFormatter LIBRE = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US);
    private final String serial;
    private final long activated;
    private final boolean mmol;

    private LibreDevice(Physiology body, String serial, long seed, Instant start) {
        super(body, "libre-3-" + serial.toLowerCase(Locale.ROOT), "libre", Duration.ofMinutes(15), seed, start);
        this.serial = serial;
        this.activated = start.minus(Duration.ofDays(3)).getEpochSecond();
        this.mmol = !body.user().zone().getId().startsWith("America/");
    }

    static LibreDevice create(Physiology body, long seed, Instant start) {
        return new LibreDevice(body, String.format("0M000%05X", 0x8B8C + 13 * body.user().index()), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        ObjectNode p = object();
        p.putObject("sensor").put("deviceId", "").put("sn", serial).put("a", activated).put("w", 60).put("pt", 4);
        ArrayNode items = p.putArray("items");
        every(from, to, Duration.ofMinutes(5), t -> {
            double g = body.glucose(t) + noise(5);
            long mgdl = Math.round(Math.max(40, Math.min(500, g)));
            ObjectNode item = items.addObject()
                    .put("FactoryTimestamp", LIBRE.format(t.atOffset(java.time.ZoneOffset.UTC)))
                    .put("Timestamp", LIBRE.format(body.local(t)))
                    .put("type", 0)
                    .put("ValueInMgPerDl", mgdl)
                    .put("TrendArrow", 3)
                    .putNull("TrendMessage")
                    .put("MeasurementColor", mgdl < 70 || mgdl > 250 ? 3 : mgdl > 180 ? 2 : 1)
                    .put("GlucoseUnits", mmol ? 0 : 1);
            if (mmol) item.put("Value", round(mgdl / 18.0156, 1)); else item.put("Value", mgdl);
            item.put("isHigh", g > 500).put("isLow", g < 40);
        });
        if (!items.isEmpty()) out.envelope("glucose", p);
    }

    @Override
    protected ObjectNode status(Instant at) {
        // A Libre sensor has no battery reading; the phone app reports connectivity only.
        return object().put("connected", true);
    }
}
