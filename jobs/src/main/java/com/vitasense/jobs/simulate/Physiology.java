package com.vitasense.jobs.simulate;

import com.vitasense.records.Ids;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * The "true" signals of one simulated person, as functions of time: what every device of theirs
 * measures, each with its own noise. Deterministic without a random source (daily variation comes
 * from a hash of user and date), so two devices of one user agree, as real ones do, and a
 * scenario can later disturb one device's view of the truth without changing the truth.
 */
final class Physiology {
    /** Local mealtimes (hours) and the glucose rise they cause. */
    private static final double[] MEALS = {7.5, 12.75, 19.0};

    private final SimulatedUser user;

    Physiology(SimulatedUser user) {
        this.user = user;
    }

    SimulatedUser user() {
        return user;
    }

    ZonedDateTime local(Instant t) {
        return t.atZone(user.zone());
    }

    /** Asleep from 23:00 to 07:00 local time. */
    boolean asleep(Instant t) {
        int h = local(t).getHour();
        return h >= 23 || h < 7;
    }

    /** Heart rate in bpm: low at night, higher by day with an afternoon walk. */
    double heartRate(Instant t) {
        double h = hourOfDay(t);
        if (asleep(t)) return 54 + 4 * Math.sin(h);
        double walk = h >= 17.5 && h < 18.25 ? 45 : 0;
        return 70 + 6 * Math.sin(h / 3) + walk + 3 * daily(t, "hr");
    }

    /** Steps in one minute. */
    int stepsPerMinute(Instant t, Random random) {
        if (asleep(t)) return 0;
        double h = hourOfDay(t);
        if (h >= 17.5 && h < 18.25) return 95 + random.nextInt(25);
        return random.nextDouble() < 0.3 ? random.nextInt(80) : 0;
    }

    /**
     * Glucose in mg/dL: a baseline with a rise after each meal; on some days a dinner spike past a
     * CGM's upper limit (400) and on some nights a dip below its lower limit (40).
     */
    double glucose(Instant t) {
        double h = hourOfDay(t);
        double g = 98 + 4 * user.index() + 8 * daily(t, "base");
        for (double meal : MEALS) {
            double since = h - meal;
            if (since > 0 && since < 4) g += 60 * since * Math.exp(1 - since / 0.8) / 0.8 / 2.2;
        }
        if (daily(t, "spike") > 0.7 && h > 19 && h < 22) g += 330 * Math.exp(-Math.pow((h - 20.2) / 0.5, 2));
        if (daily(t, "hypo") > 0.7 && h > 2 && h < 5) g -= 75 * Math.exp(-Math.pow((h - 3.5) / 0.5, 2));
        return g;
    }

    /** Skin temperature deviation from the personal baseline, degC. */
    double temperatureDeviation(LocalDate day) {
        return 0.3 * daily(day, "temp");
    }

    /** A readiness/recovery style score, 1-100, for a day. */
    int recovery(LocalDate day) {
        return (int) Math.round(62 + 25 * daily(day, "recovery"));
    }

    double bodyMass(LocalDate day) {
        return 64 + 6 * user.index() % 30 + 0.4 * daily(day, "mass");
    }

    private double hourOfDay(Instant t) {
        ZonedDateTime z = local(t);
        return z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
    }

    private double daily(Instant t, String what) {
        return daily(local(t).toLocalDate(), what);
    }

    /** A stable pseudo-random number in [-1, 1) for this user, day and purpose. */
    double daily(LocalDate day, String what) {
        String h = Ids.hash("physiology", user.id(), day.toString(), what);
        return Long.parseLong(h.substring(0, 12), 16) / (double) (1L << 47) - 1;
    }
}
