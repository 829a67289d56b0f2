package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A WHOOP strap read through API v2 every two hours: the current {@code cycle} (no {@code end}
 * while in progress, strain growing through the day), and each morning the finished cycle, the
 * night's {@code sleep} and the day's {@code recovery}. New members are {@code user_calibrating}
 * during their first two weeks: the second user joined twelve days before the simulation starts.
 */
final class WhoopDevice extends DeviceSimulator {
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private final int whoopUserId;
    /** The member joined this long before the simulation starts; user 2 is in their first weeks. */
    private final java.time.LocalDate joined;

    private WhoopDevice(Physiology body, String serial, long seed, Instant start) {
        super(body, "whoop-4-" + serial, "whoop", Duration.ofHours(2), seed, start);
        this.whoopUserId = 10129 + 1000 * body.user().index();
        this.joined = start.atZone(body.user().zone()).toLocalDate().minusDays(body.user().index() % 4 == 1 ? 12 : 400);
    }

    static WhoopDevice create(Physiology body, long seed, Instant start) {
        return new WhoopDevice(body, String.format("4A%06X", 0x1F3C2 + 31 * body.user().index()), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        ZonedDateTime wake = wakeBefore(to);
        long cycleId = cycleId(wake);
        if (first || dailyAt(from, to, 7, 30)) {
            ZonedDateTime previousWake = wake.minusDays(1);
            out.envelope("cycle", cycle(cycleId - 1, previousWake, wake));
            String sleepId = uuid();
            out.envelope("sleep", sleep(sleepId, cycleId - 1, wake));
            out.envelope("recovery", recovery(cycleId, sleepId, wake));
        }
        out.envelope("cycle", cycle(cycleId, wake, null));
    }

    private ZonedDateTime wakeBefore(Instant t) {
        ZonedDateTime w = body.local(t).withHour(7).withMinute(2).withSecond(14).withNano(853_000_000);
        return w.toInstant().isAfter(t) ? w.minusDays(1) : w;
    }

    private static long cycleId(ZonedDateTime wake) {
        return 93_845_000L + wake.toLocalDate().toEpochDay();
    }

    private String offset(ZonedDateTime t) {
        return t.getOffset().getId().equals("Z") ? "+00:00" : t.getOffset().getId();
    }

    private ObjectNode cycle(long id, ZonedDateTime start, ZonedDateTime end) {
        Instant upTo = end != null ? end.toInstant() : start.toInstant().plus(Duration.ofHours(10));
        double hours = Duration.between(start.toInstant(), upTo).toMinutes() / 60.0;
        ObjectNode c = object().put("id", id).put("user_id", whoopUserId)
                .put("created_at", UTC_MILLIS.format(start.toInstant().plusSeconds(35)))
                .put("updated_at", UTC_MILLIS.format(upTo))
                .put("start", UTC_MILLIS.format(start.toInstant()));
        if (end != null) c.put("end", UTC_MILLIS.format(end.toInstant()));
        c.put("timezone_offset", offset(start)).put("score_state", "SCORED");
        c.putObject("score")
                .put("strain", round(Math.min(21, 4 + hours * 0.55 + noise(0.5)), 4))
                .put("kilojoule", round(350 * hours + noise(200), 1))
                .put("average_heart_rate", 66 + random.nextInt(8))
                .put("max_heart_rate", 130 + random.nextInt(40));
        return c;
    }

    private ObjectNode sleep(String id, long cycleId, ZonedDateTime wake) {
        ZonedDateTime start = wake.minusHours(8).plusMinutes(random.nextInt(30));
        long inBed = Duration.between(start, wake).toMillis();
        long awake = 1_800_000L + random.nextInt(1_200_000);
        long sws = (long) (inBed * 0.2), rem = (long) (inBed * 0.22);
        ObjectNode s = object().put("id", id).put("cycle_id", cycleId).put("user_id", whoopUserId)
                .put("created_at", UTC_MILLIS.format(wake.toInstant().plusSeconds(120)))
                .put("updated_at", UTC_MILLIS.format(wake.toInstant().plusSeconds(300)))
                .put("start", UTC_MILLIS.format(start.toInstant()))
                .put("end", UTC_MILLIS.format(wake.toInstant()))
                .put("timezone_offset", offset(wake))
                .put("nap", false)
                .put("score_state", "SCORED");
        ObjectNode score = s.putObject("score");
        score.putObject("stage_summary")
                .put("total_in_bed_time_milli", inBed)
                .put("total_awake_time_milli", awake)
                .put("total_no_data_time_milli", 0)
                .put("total_light_sleep_time_milli", inBed - awake - sws - rem)
                .put("total_slow_wave_sleep_time_milli", sws)
                .put("total_rem_sleep_time_milli", rem)
                .put("sleep_cycle_count", 3 + random.nextInt(3))
                .put("disturbance_count", random.nextInt(15));
        score.put("respiratory_rate", round(15.5 + noise(0.6), 6))
                .put("sleep_performance_percentage", 70 + random.nextInt(30))
                .put("sleep_consistency_percentage", 60 + random.nextInt(40))
                .put("sleep_efficiency_percentage", round(100.0 * (inBed - awake) / inBed, 4));
        return s;
    }

    private ObjectNode recovery(long cycleId, String sleepId, ZonedDateTime wake) {
        ObjectNode r = object().put("cycle_id", cycleId).put("sleep_id", sleepId).put("user_id", whoopUserId)
                .put("created_at", UTC_MILLIS.format(wake.toInstant().plusSeconds(600)))
                .put("updated_at", UTC_MILLIS.format(wake.toInstant().plusSeconds(660)))
                .put("score_state", "SCORED");
        r.putObject("score")
                // WHOOP calibrates a new member's scores during their first two weeks.
                .put("user_calibrating", wake.toLocalDate().isBefore(joined.plusDays(14)))
                .put("recovery_score", body.recovery(wake.toLocalDate()))
                .put("resting_heart_rate", 52 + random.nextInt(10))
                .put("hrv_rmssd_milli", round(45 + noise(10), 6))
                .put("spo2_percentage", round(95.5 + noise(1), 4))
                .put("skin_temp_celsius", round(33.6 + body.temperatureDeviation(wake.toLocalDate()), 6));
        return r;
    }

    @Override
    protected ObjectNode status(Instant at) {
        int h = (int) (at.getEpochSecond() / 3600 % 96);
        return object().put("battery_level", Math.max(5, 100 - h)).put("firmware", "41.16.6.0").put("connected", true);
    }
}
