package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.jobs.eval.AlertLabel;
import com.vitasense.jobs.eval.AlertLabels;
import com.vitasense.patterns.AlertType;
import com.vitasense.records.Ids;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The labelled fault scenario of {@code ./vitasense simulate --scenario faults}: a fleet of
 * patients, each with a CGM (a Dexcom G7 read through the Dexcom API, an xDrip+ Nightscout
 * uploader or an Eversense E3 relayed by the companion app) and a ring oximeter (SpO2 and
 * heart rate, companion app), in which fault episodes of every alert type are injected at known
 * devices and times, and the ground truth of each episode is returned as an {@link AlertLabel}.
 *
 * <p>The underlying signals are clean and smooth (meals, a daily rhythm, sensor noise, batteries
 * charged every evening, syncs that complete), so that only the injected faults should raise
 * alerts. Every fourth patient is entirely clean. After a warm-up of {@link #WARM_UP} (noise
 * baselines, first calibrations), each device's time is cut into {@link #SLOT}s; about two in three
 * get one fault episode of a type the device can show, rotating through the types; the episode
 * sits in the slot's first hours, so the alert it raises has cleared before the next episode of its
 * type on the device. Every
 * fourth patient from the second on has a CGM whose readings drift away from the fingersticks in
 * two steps over a day and a half ({@link #DRIFT}, in scenarios long enough for it), the user
 * checking with extra fingersticks; its other faults come after that.
 *
 * <table>
 *   <caption>The faults</caption>
 *   <tr><td>BATTERY_LOW, BATTERY_CRITICAL</td><td>the battery drains in about 3 hours to 12 % (or to 3 %), then is charged; a critical episode is also a low one</td></tr>
 *   <tr><td>FLATLINE</td><td>glucose or heart rate stuck at one value for 45-75 min</td></tr>
 *   <tr><td>SPIKE</td><td>one glucose reading 70-110 mg/dL high or 50-70 mg/dL low (or a heart rate 50-70 bpm high), the next back</td></tr>
 *   <tr><td>SENSOR_ERROR</td><td>four sensor errors in 30 min between good readings (Nightscout error codes, Dexcom EGVs without a value)</td></tr>
 *   <tr><td>QUALITY_DEGRADED</td><td>the oximeter reports its "no signal" SpO2 of 127 % for 30 min</td></tr>
 *   <tr><td>CALIBRATION_DRIFT</td><td>the CGM reads 35 mg/dL high, later 70 mg/dL, against fingersticks every 3 h</td></tr>
 *   <tr><td>CONNECTIVITY_LOST</td><td>the relayed CGM is silent for 30-90 min</td></tr>
 *   <tr><td>SYNC_TIMEOUT</td><td>a Dexcom sync starts and never ends; the next one delivers its readings</td></tr>
 *   <tr><td>SYNC_FAILING</td><td>three Dexcom syncs in a row fail</td></tr>
 *   <tr><td>DATA_INCOMPLETE</td><td>a 5-min CGM (Dexcom, Nightscout) delivers only half or two thirds of its readings for one or two hours</td></tr>
 *   <tr><td>SYNC_CONFLICT</td><td>three readings re-sent with revised values (Dexcom: same record ids)</td></tr>
 * </table>
 *
 * <p>Besides, one in a hundred reading envelopes is sent twice unchanged (a retried upload,
 * {@link Fault#DUPLICATE}), which must raise nothing. Deterministic: the same seed, patients, start and duration give the same envelopes and labels.
 */
public final class FaultScenario {
    public static final String NAME = "faults";
    public static final Duration DEFAULT_DURATION = Duration.ofDays(3);
    public static final int DEFAULT_PATIENTS = 24;
    /** Noise baselines and first calibrations before the first fault. */
    static final Duration WARM_UP = Duration.ofHours(6);
    /** At most one fault episode per device and slot. */
    static final Duration SLOT = Duration.ofHours(3);
    /** Share of reading envelopes sent twice unchanged (a retried upload): must raise nothing. */
    static final double DUPLICATE_RATE = 0.01;
    /** The drift episode: from the warm-up's end on, this long. */
    static final Duration DRIFT = Duration.ofHours(36);
    private static final Duration READING_EVERY = Duration.ofMinutes(5);
    private static final Duration DEXCOM_SYNC_EVERY = Duration.ofMinutes(15);
    private static final Duration BATTERY_EVERY = Duration.ofMinutes(30);
    private static final DateTimeFormatter DEXCOM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final String GLUCOSE = "glucose";
    private static final String HEART_RATE = "heart_rate";
    private static final String SPO2 = "spo2";

    private final long seed;
    private final int patients;
    private final Instant start;
    private final Instant end;

    /** What a run produced: the envelopes in order of sending, and the labels. */
    public record Result(List<SimulatedEnvelope> envelopes, AlertLabels.LabelSet labels) {}

    /**
     * @param start a whole hour (hourly completeness is judged on whole hours)
     * @param duration whole hours, at least {@link #WARM_UP} plus a slot
     */
    public FaultScenario(long seed, int patients, Instant start, Duration duration) {
        if (patients < 1) throw new IllegalArgumentException("the fault scenario needs at least one patient, got " + patients);
        if (start.getEpochSecond() % 3600 != 0 || start.getNano() != 0) {
            throw new IllegalArgumentException("the fault scenario starts on a whole hour, got " + start);
        }
        if (duration.toSeconds() % 3600 != 0 || duration.compareTo(WARM_UP.plus(SLOT)) < 0) {
            throw new IllegalArgumentException("the fault scenario runs whole hours, at least "
                    + WARM_UP.plus(SLOT).toHours() + "h, got " + duration);
        }
        this.seed = seed;
        this.patients = patients;
        this.start = start;
        this.end = start.plus(duration);
    }

    public Result run() {
        List<Sent> sent = new ArrayList<>();
        List<AlertLabel> labels = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            String user = String.format("p-%03d", p + 1);
            boolean clean = p % 4 == 3;
            boolean drift = p % 4 == 1 && end.compareTo(start.plus(WARM_UP).plus(DRIFT).plus(SLOT)) >= 0;
            // Dexcom and the relayed CGM twice in five: they show the most fault types.
            Device cgm = switch (p % 5) {
                case 0, 3 -> new Device(this, user, "dexcom-g7-" + user, "dexcom", "Dexcom G7", Kind.DEXCOM, p);
                case 1 -> new Device(this, user, "nightscout-" + user, "nightscout", "xDrip-DexcomG6", Kind.NIGHTSCOUT, p);
                default -> new Device(this, user, "eversense-" + user, "canonical", "Eversense E3", Kind.RELAYED_CGM, p);
            };
            Device ring = new Device(this, user, "o2ring-" + user, "canonical", "Wellue O2Ring", Kind.OXIMETER, p);
            for (Device d : List.of(cgm, ring)) {
                if (d == cgm && drift) d.planDrift();
                if (!clean) d.planSlots();
                d.generate();
                sent.addAll(d.out);
                labels.addAll(d.labels);
                devices.add(d.deviceId);
            }
        }
        // In order of sending, as a fleet delivers them; ties keep the device order.
        sent.sort(Comparator.comparing(Sent::at).thenComparingLong(Sent::seq));
        labels.sort(Comparator.comparing(AlertLabel::start).thenComparing(AlertLabel::deviceId));
        return new Result(sent.stream().map(Sent::envelope).toList(),
                new AlertLabels.LabelSet(NAME, seed, start, end, devices, labels));
    }

    private record Sent(Instant at, long seq, SimulatedEnvelope envelope) {}

    private enum Kind { DEXCOM, NIGHTSCOUT, RELAYED_CGM, OXIMETER }

    /** A fault injected into one device. {@code at} is the fault's own start, the label may differ. */
    private record Episode(AlertType type, String metric, Instant at, Instant until, double size) {
        boolean covers(Instant t) {
            return !t.isBefore(at) && t.isBefore(until);
        }
    }

    /** One reading as the device took it; {@code value} null for a sensor error. */
    private static final class Reading {
        final Instant time;
        final String metric;
        Double value;
        final String recordId;

        Reading(Instant time, String metric, Double value, String recordId) {
            this.time = time;
            this.metric = metric;
            this.value = value;
            this.recordId = recordId;
        }
    }

    private long sequence;

    private static final class Device {
        final FaultScenario scenario;
        final String userId;
        final String deviceId;
        final String vendor;
        final String model;
        final Kind kind;
        final int patient;
        final Random random;
        final List<Episode> episodes = new ArrayList<>();
        final List<AlertLabel> labels = new ArrayList<>();
        final List<Sent> out = new ArrayList<>();
        /** Phase of the reading grid within the 5-minute step, as real devices are not in step. */
        final Duration phase;
        Instant driftFrom;

        Device(FaultScenario scenario, String userId, String deviceId, String vendor, String model, Kind kind, int patient) {
            this.scenario = scenario;
            this.userId = userId;
            this.deviceId = deviceId;
            this.vendor = vendor;
            this.model = model;
            this.kind = kind;
            this.patient = patient;
            this.random = new Random(Long.parseLong(Ids.hash("fault-scenario", Long.toString(scenario.seed), deviceId)
                    .substring(0, 15), 16));
            this.phase = Duration.ofSeconds(switch (kind) {
                case DEXCOM -> 17;
                case NIGHTSCOUT -> 42;
                case RELAYED_CGM -> 10;
                case OXIMETER -> 25;
            });
        }

        boolean measuresGlucose() {
            return kind != Kind.OXIMETER;
        }

        /** The fault types this device can show. */
        List<AlertType> faultTypes() {
            return switch (kind) {
                case DEXCOM -> List.of(AlertType.SYNC_TIMEOUT, AlertType.FLATLINE, AlertType.SYNC_FAILING, AlertType.SPIKE,
                        AlertType.SENSOR_ERROR, AlertType.SYNC_CONFLICT, AlertType.DATA_INCOMPLETE);
                case NIGHTSCOUT -> List.of(AlertType.SENSOR_ERROR, AlertType.SPIKE, AlertType.DATA_INCOMPLETE,
                        AlertType.FLATLINE, AlertType.BATTERY_CRITICAL);
                case RELAYED_CGM -> List.of(AlertType.CONNECTIVITY_LOST, AlertType.SPIKE, AlertType.SYNC_CONFLICT,
                        AlertType.CONNECTIVITY_LOST, AlertType.FLATLINE, AlertType.BATTERY_LOW);
                case OXIMETER -> List.of(AlertType.QUALITY_DEGRADED, AlertType.SPIKE, AlertType.BATTERY_CRITICAL,
                        AlertType.FLATLINE, AlertType.QUALITY_DEGRADED, AlertType.BATTERY_LOW);
            };
        }

        // ---- planning ----

        void planDrift() {
            driftFrom = scenario.start.plus(WARM_UP);
            Instant until = driftFrom.plus(DRIFT);
            episodes.add(new Episode(AlertType.CALIBRATION_DRIFT, GLUCOSE, driftFrom, until, 35));
            labels.add(new AlertLabel(deviceId, AlertType.CALIBRATION_DRIFT.name(), GLUCOSE, driftFrom, until));
        }

        void planSlots() {
            List<AlertType> types = faultTypes();
            int next = random.nextInt(types.size());
            Instant first = driftFrom != null ? driftFrom.plus(DRIFT).plus(SLOT) : scenario.start.plus(WARM_UP);
            for (Instant slot = first; !slot.plus(SLOT).isAfter(scenario.end); slot = slot.plus(SLOT)) {
                if (random.nextInt(3) == 0) continue; // a clean slot
                plan(types.get(next++ % types.size()), slot);
            }
        }

        /** The reading time of this device at or after {@code t}. */
        Instant grid(Instant t) {
            long step = READING_EVERY.toSeconds();
            long base = scenario.start.plus(phase).getEpochSecond();
            long k = Math.floorDiv(t.getEpochSecond() - base + step - 1, step);
            return Instant.ofEpochSecond(base + k * step);
        }

        /** A reading time in the slot's first hour. */
        Instant someTimeIn(Instant slot) {
            return grid(slot.plus(READING_EVERY.multipliedBy(random.nextInt(12))));
        }

        void plan(AlertType type, Instant slot) {
            String metric = kind == Kind.OXIMETER ? HEART_RATE : GLUCOSE;
            switch (type) {
                case FLATLINE -> {
                    Instant at = someTimeIn(slot);
                    Instant until = at.plus(READING_EVERY.multipliedBy(9 + random.nextInt(7)));
                    add(new Episode(type, metric, at, until, 0), at, until);
                }
                case SPIKE -> {
                    Instant at = someTimeIn(slot).plus(READING_EVERY);
                    double jump = metric.equals(GLUCOSE) ? 70 + random.nextInt(41) : 50 + random.nextInt(21);
                    // Half the glucose spikes are drops (a compression artefact: the wearer lies on
                    // the sensor), where the level leaves room for one that stays in the sensor's range.
                    if (metric.equals(GLUCOSE) && random.nextBoolean() && glucose(at) >= 125) jump = -(50 + random.nextInt(21));
                    add(new Episode(type, metric, at, at.plus(READING_EVERY), jump), at, at);
                }
                case SENSOR_ERROR -> {
                    // Four errors in 30 min between good readings, two on each side of an hour, so
                    // that neither hour misses a fifth of its readings (that is DATA_INCOMPLETE).
                    Instant at = grid(slot.plus(Duration.ofMinutes(45)));
                    Instant until = at.plus(Duration.ofMinutes(31));
                    add(new Episode(type, null, at, until, 0), at, at.plus(Duration.ofMinutes(30)));
                }
                case DATA_INCOMPLETE -> {
                    Instant hour = slot.plus(Duration.ofHours(1));
                    int hours = 1 + random.nextInt(2);
                    Instant until = hour.plus(Duration.ofHours(hours));
                    // Keeps every second or every third reading.
                    add(new Episode(type, GLUCOSE, hour, until, 2 + random.nextInt(2)), hour, until);
                }
                case CONNECTIVITY_LOST -> {
                    Instant at = someTimeIn(slot).plus(READING_EVERY);
                    Instant until = at.plus(Duration.ofMinutes(30 + 5 * random.nextInt(13)));
                    // From the last reading before the silence to the first after it.
                    add(new Episode(type, null, at, until, 0), at.minus(READING_EVERY), until);
                }
                case QUALITY_DEGRADED -> {
                    Instant at = someTimeIn(slot);
                    Instant until = at.plus(Duration.ofMinutes(30));
                    add(new Episode(type, null, at, until, 0), at, until.minus(READING_EVERY));
                }
                case SYNC_TIMEOUT, SYNC_FAILING, SYNC_CONFLICT -> {
                    Instant at = someTimeIn(slot);
                    episodes.add(new Episode(type, metric, at, at.plus(Duration.ofHours(1)), 0));
                    // Labelled when the syncs are generated: the label depends on the session times.
                }
                case BATTERY_LOW, BATTERY_CRITICAL -> episodes.add(new Episode(type, null, slot.plus(Duration.ofMinutes(10)),
                        slot.plus(Duration.ofHours(4)), 0));
                default -> throw new IllegalArgumentException("no fault planned for " + type);
            }
        }

        private void add(Episode e, Instant labelStart, Instant labelEnd) {
            episodes.add(e);
            String metric = switch (e.type()) {
                case FLATLINE, SPIKE, CALIBRATION_DRIFT, DATA_INCOMPLETE, SYNC_CONFLICT -> e.metric();
                default -> null;
            };
            labels.add(new AlertLabel(deviceId, e.type().name(), metric, labelStart, labelEnd));
        }

        Episode active(AlertType type, Instant t) {
            for (Episode e : episodes) if (e.type() == type && e.covers(t)) return e;
            return null;
        }

        Episode startingIn(AlertType type, Instant from, Instant to) {
            for (Episode e : episodes) if (e.type() == type && !e.at().isBefore(from) && e.at().isBefore(to)) return e;
            return null;
        }

        // ---- the signals ----

        double glucose(Instant t) {
            double hours = t.getEpochSecond() / 3600.0;
            double h = ((hours + 0.37 * patient) % 24 + 24) % 24;
            double g = 100 + 5 * (patient % 5) + 8 * Math.sin(2 * Math.PI * hours / 24 + patient);
            for (double meal : new double[] {7.5, 12.5, 18.5}) {
                double x = (h - meal) / 0.9;
                if (x > 0 && x < 6) g += 55 * x * Math.exp(1 - x);
            }
            return g;
        }

        double heartRate(Instant t) {
            double hours = t.getEpochSecond() / 3600.0;
            double h = ((hours + 0.37 * patient) % 24 + 24) % 24;
            double walk = 22 * Math.exp(-Math.pow((h - 17.8) / 0.4, 2));
            return 64 + 3 * (patient % 4) + 7 * Math.sin(2 * Math.PI * (h - 9) / 24) + walk;
        }

        /** The sensor's offset from the truth: nothing, or the drift's two steps. */
        double drift(Instant t) {
            if (driftFrom == null || t.isBefore(driftFrom)) return 0;
            double hours = Duration.between(driftFrom, t).toSeconds() / 3600.0;
            double first = 35 * Math.min(1, hours / 3);
            double second = hours < 18 ? 0 : 35 * Math.min(1, (hours - 18) / 3);
            return first + second;
        }

        // ---- generation ----

        void generate() {
            List<Reading> readings = readings();
            switch (kind) {
                case DEXCOM -> dexcom(readings);
                case NIGHTSCOUT -> nightscout(readings);
                case RELAYED_CGM, OXIMETER -> canonical(readings);
            }
            fingersticks();
            battery();
        }

        List<Reading> readings() {
            List<Reading> list = new ArrayList<>();
            Double stuck = null;
            Instant stuckSince = null;
            for (Instant t = grid(scenario.start); t.isBefore(scenario.end); t = t.plus(READING_EVERY)) {
                if (active(AlertType.CONNECTIVITY_LOST, t) != null) continue;
                Episode incomplete = active(AlertType.DATA_INCOMPLETE, t);
                long k = Duration.between(scenario.start, t).toMinutes() / 5;
                if (incomplete != null && k % (long) incomplete.size() != 0) continue;
                List<String> metrics = measuresGlucose() ? List.of(GLUCOSE) : List.of(SPO2, HEART_RATE);
                for (String metric : metrics) {
                    Double value = switch (metric) {
                        case GLUCOSE -> glucose(t) + drift(t) + random.nextGaussian() * 3;
                        case HEART_RATE -> heartRate(t) + random.nextGaussian() * 1.5;
                        default -> (double) Math.min(100, Math.round(96.5 + random.nextGaussian() * 0.8));
                    };
                    Episode flat = metric.equals(SPO2) ? null : active(AlertType.FLATLINE, t);
                    if (flat != null) {
                        if (!flat.at().equals(stuckSince)) {
                            stuckSince = flat.at();
                            stuck = value;
                        }
                        value = stuck;
                    }
                    Episode spike = metric.equals(SPO2) ? null : active(AlertType.SPIKE, t);
                    if (spike != null) value = value + spike.size();
                    if (metric.equals(SPO2) && active(AlertType.QUALITY_DEGRADED, t) != null) value = 127.0;
                    Episode error = active(AlertType.SENSOR_ERROR, t);
                    if (error != null && Duration.between(error.at(), t).toMinutes() % 10 == 0) value = null;
                    list.add(new Reading(t, metric, value, uuid()));
                }
            }
            return list;
        }

        /** The Dexcom API read every 15 minutes in sync sessions, with the sync faults. */
        void dexcom(List<Reading> readings) {
            String dexcomUser = uuid();
            int next = 0;
            List<Reading> lastDelivered = List.of();
            int failuresLeft = 0;
            Instant failingFrom = null;
            for (Instant at = scenario.start.plus(DEXCOM_SYNC_EVERY).plusSeconds(30); ; at = at.plus(DEXCOM_SYNC_EVERY)) {
                Instant window = at.minus(DEXCOM_SYNC_EVERY);
                String syncId = "s-" + Ids.hash("sync", deviceId, at.toString()).substring(0, 12);
                emit("sync_started", at, syncId, object().put("sync_id", syncId).put("time", at.toString()));
                Episode timeout = startingIn(AlertType.SYNC_TIMEOUT, window, at);
                if (timeout != null) {
                    // Never ends: the next session delivers this one's readings.
                    labels.add(new AlertLabel(deviceId, AlertType.SYNC_TIMEOUT.name(), null, at, at.plus(DEXCOM_SYNC_EVERY)));
                    continue;
                }
                if (startingIn(AlertType.SYNC_FAILING, window, at) != null) {
                    failuresLeft = 3;
                    failingFrom = at;
                }
                if (failuresLeft > 0) {
                    Instant failed = at.plusSeconds(31);
                    emit("sync_failed", failed, syncId, object().put("sync_id", syncId).put("time", failed.toString())
                            .put("error", "HTTP 503 Service Unavailable"));
                    if (--failuresLeft == 0) {
                        labels.add(new AlertLabel(deviceId, AlertType.SYNC_FAILING.name(), null, failingFrom.plusSeconds(31),
                                failed));
                    }
                    continue;
                }
                List<Reading> batch = new ArrayList<>();
                while (next < readings.size() && readings.get(next).time.isBefore(at)) batch.add(readings.get(next++));
                Instant delivered = at.plusSeconds(2);
                if (!batch.isEmpty()) emit("egvs", delivered, syncId, egvs(dexcomUser, batch, 0));
                if (startingIn(AlertType.SYNC_CONFLICT, window, at) != null && lastDelivered.size() >= 3) {
                    // The vendor re-sends the previous page's last readings, revised.
                    List<Reading> revised = lastDelivered.subList(lastDelivered.size() - 3, lastDelivered.size());
                    emit("egvs", at.plusSeconds(3), syncId, egvs(dexcomUser, revised, 9 + random.nextInt(6)));
                    labels.add(new AlertLabel(deviceId, AlertType.SYNC_CONFLICT.name(), GLUCOSE, revised.get(0).time,
                            revised.get(2).time));
                }
                emit("sync_completed", at.plusSeconds(4), syncId, object().put("sync_id", syncId)
                        .put("time", at.plusSeconds(4).toString()));
                if (!batch.isEmpty()) lastDelivered = batch;
                if (next >= readings.size() && !at.isBefore(scenario.end)) break;
            }
        }

        private ObjectNode egvs(String dexcomUser, List<Reading> batch, double revision) {
            ObjectNode page = object().put("recordType", "egv").put("recordVersion", "3.0").put("userId", dexcomUser);
            ArrayNode records = page.putArray("records");
            for (Reading r : batch) {
                ObjectNode e = records.addObject()
                        .put("recordId", r.recordId)
                        .put("systemTime", DEXCOM_TIME.format(r.time.atOffset(ZoneOffset.UTC)))
                        .put("displayTime", DEXCOM_TIME.format(r.time.atOffset(ZoneOffset.UTC)))
                        .put("transmitterId", "8g" + Ids.hash("tx", deviceId).substring(0, 4))
                        .put("transmitterGeneration", "g7")
                        .put("unit", "mg/dL")
                        .put("rateUnit", "mg/dL/min")
                        .put("displayDevice", "iOS");
                if (r.value == null) {
                    // Signal loss: no value and no trend, but the record is still sent.
                    e.putNull("value").put("status", "unknown").put("trend", "notComputable").putNull("trendRate");
                } else {
                    e.put("value", Math.round(r.value + revision)).putNull("status").put("trend", "flat");
                }
            }
            return page;
        }

        /** An xDrip+ uploader posting each reading (or error code) as it comes. */
        void nightscout(List<Reading> readings) {
            for (Reading r : readings) {
                ObjectNode e = entry("sgv", r.time);
                if (r.value == null) {
                    e.put("sgv", new int[] {1, 5, 9, 12}[random.nextInt(4)]).put("direction", "NOT COMPUTABLE").put("noise", 4);
                } else {
                    long sgv = Math.round(r.value);
                    e.put("sgv", sgv).put("direction", "Flat").put("noise", 1)
                            .put("filtered", sgv * 1000 + 31000).put("unfiltered", sgv * 1000 + 31200).put("rssi", 100);
                }
                emit("entries", r.time.plusSeconds(20), null, array().add(e));
            }
        }

        private ObjectNode entry(String type, Instant t) {
            return object().put("_id", Ids.hash("ns", deviceId, type, t.toString()).substring(0, 24)).put("device", model)
                    .put("date", t.toEpochMilli()).put("dateString", t.toString()).put("type", type).put("utcOffset", 0);
        }

        /** Readings relayed by the companion app as they come; a conflict re-sends three, revised. */
        void canonical(List<Reading> readings) {
            for (int i = 0; i < readings.size(); i++) {
                Reading r = readings.get(i);
                emit("data_point", r.time.plusSeconds(15), null, dataPoint(r, r.value));
                if (r.metric.equals(GLUCOSE) && i >= 3) {
                    Episode conflict = startingIn(AlertType.SYNC_CONFLICT, r.time, r.time.plus(READING_EVERY));
                    if (conflict != null) {
                        double revision = 9 + random.nextInt(6);
                        for (int j = i - 3; j < i; j++) {
                            Reading old = readings.get(j);
                            emit("data_point", r.time.plusSeconds(16), null, dataPoint(old, old.value + revision));
                        }
                        labels.add(new AlertLabel(deviceId, AlertType.SYNC_CONFLICT.name(), GLUCOSE, readings.get(i - 3).time,
                                readings.get(i - 1).time));
                    }
                }
            }
        }

        private ObjectNode dataPoint(Reading r, double value) {
            return object().put("metric", r.metric)
                    .put("value", r.metric.equals(SPO2) ? value : Math.round(value * 10) / 10.0)
                    .put("unit", switch (r.metric) {
                        case GLUCOSE -> "mg/dL";
                        case HEART_RATE -> "bpm";
                        default -> "%";
                    })
                    .put("start_time", r.time.toString())
                    .put("device_model", model);
        }

        /**
         * Fingersticks against the CGM: before breakfast and dinner, never next to a fault episode
         * of the CGM (a user checks a CGM that looks wrong rather than pairing it), and every 3 hours
         * while the CGM drifts.
         */
        void fingersticks() {
            if (!measuresGlucose()) return;
            List<Instant> times = new ArrayList<>();
            for (Instant day = scenario.start; day.isBefore(scenario.end); day = day.plus(Duration.ofDays(1))) {
                for (int minute : new int[] {7 * 60 + 5, 17 * 60 + 50}) {
                    times.add(day.plus(Duration.ofMinutes(minute + 2L * (patient % 10))));
                }
            }
            if (driftFrom != null) {
                for (Instant t = driftFrom.minus(Duration.ofHours(6)).plus(Duration.ofMinutes(50)); t.isBefore(driftFrom.plus(DRIFT));
                     t = t.plus(Duration.ofHours(3))) {
                    times.add(t);
                }
            }
            times.sort(Comparator.naturalOrder());
            for (Instant t : times) {
                if (!t.isBefore(scenario.end.minus(Duration.ofMinutes(10)))) continue;
                boolean nearFault = episodes.stream().anyMatch(e -> e.type() != AlertType.CALIBRATION_DRIFT
                        && !t.isBefore(e.at().minus(Duration.ofMinutes(20))) && !t.isAfter(e.until().plus(Duration.ofMinutes(20))));
                if (nearFault) continue;
                long value = Math.round(glucose(t) + random.nextGaussian() * 4);
                Instant typedIn = t.plusSeconds(90);
                switch (kind) {
                    case DEXCOM -> {
                        ObjectNode page = object().put("recordType", "calibration").put("recordVersion", "3.0")
                                .put("userId", uuid());
                        page.putArray("records").addObject()
                                .put("recordId", uuid())
                                .put("systemTime", DEXCOM_TIME.format(t.atOffset(ZoneOffset.UTC)))
                                .put("displayTime", DEXCOM_TIME.format(t.atOffset(ZoneOffset.UTC)))
                                .put("unit", "mg/dL").put("value", value).put("displayDevice", "iOS")
                                .put("transmitterGeneration", "g7");
                        emit("calibrations", typedIn, null, page);
                    }
                    case NIGHTSCOUT -> emit("entries", typedIn, null, array().add(entry("mbg", t).put("mbg", value)));
                    default -> emit("calibration", typedIn, null, object().put("metric", GLUCOSE).put("value", value)
                            .put("unit", "mg/dL").put("time", t.toString()).put("source", "fingerstick"));
                }
            }
        }

        /**
         * A status report every 30 minutes. The battery is charged every evening and drains about 1 %
         * an hour; a battery fault drains it within hours to below 20 % (critical: to 4 %), and the
         * user then charges it.
         */
        void battery() {
            Instant charged = scenario.start;
            double level = 100;
            int[] drain = null;
            int step = 0;
            Episode fault = null;
            Instant low = null;
            Instant critical = null;
            Instant first = scenario.start.plusSeconds(60 + random.nextInt(25 * 60));
            for (Instant t = first; t.isBefore(scenario.end); t = t.plus(BATTERY_EVERY)) {
                if (fault == null) {
                    fault = startingIn(AlertType.BATTERY_LOW, t.minus(BATTERY_EVERY), t);
                    if (fault == null) fault = startingIn(AlertType.BATTERY_CRITICAL, t.minus(BATTERY_EVERY), t);
                    if (fault != null) {
                        drain = fault.type() == AlertType.BATTERY_LOW
                                ? new int[] {52, 38, 27, 18, 14, 12}
                                : new int[] {48, 31, 19, 11, 6, 4, 3};
                        step = 0;
                    }
                }
                if (drain != null) {
                    if (step < drain.length) {
                        level = drain[step++];
                        if (level <= 20 && low == null) low = t;
                        if (level <= 5 && critical == null) critical = t;
                    } else {
                        // Charged: the alerts clear.
                        level = 100;
                        charged = t;
                        labels.add(new AlertLabel(deviceId, AlertType.BATTERY_LOW.name(), null, low, t));
                        if (critical != null) labels.add(new AlertLabel(deviceId, AlertType.BATTERY_CRITICAL.name(), null, critical, t));
                        drain = null;
                        fault = null;
                        low = null;
                        critical = null;
                    }
                } else {
                    if (t.atZone(ZoneOffset.UTC).getHour() == 21 && Duration.between(charged, t).toHours() >= 2) charged = t;
                    level = Math.max(60, 100 - Duration.between(charged, t).toMinutes() / 60.0);
                }
                ObjectNode status = object().put("battery_level", Math.round(level)).put("time", t.toString())
                        .put("device_model", model);
                emit("device_status", t.plusSeconds(3), null, status);
            }
            // Still flat when the scenario ends: the episode is as long as the scenario.
            if (low != null) labels.add(new AlertLabel(deviceId, AlertType.BATTERY_LOW.name(), null, low, scenario.end));
            if (critical != null) labels.add(new AlertLabel(deviceId, AlertType.BATTERY_CRITICAL.name(), null, critical, scenario.end));
        }

        // ---- envelopes ----

        void emit(String kind, Instant sentAt, String syncId, JsonNode payload) {
            ObjectNode e = object()
                    .put("vendor", vendor)
                    .put("kind", kind)
                    .put("user_id", userId)
                    .put("device_id", deviceId)
                    .put("received_at", sentAt.toString())
                    .put("time_zone", "UTC");
            if (syncId != null) e.put("sync_id", syncId);
            e.set("payload", payload);
            String json = e.toString();
            out.add(new Sent(sentAt, scenario.sequence++, new SimulatedEnvelope(deviceId, json, vendor, kind, Fault.NONE, sentAt)));
            boolean reading = kind.equals("egvs") || kind.equals("entries") || kind.equals("data_point");
            if (reading && random.nextDouble() < DUPLICATE_RATE) {
                out.add(new Sent(sentAt, scenario.sequence++, new SimulatedEnvelope(deviceId, json, vendor, kind, Fault.DUPLICATE, sentAt)));
            }
        }

        String uuid() {
            long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
            long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(hi, lo).toString();
        }

        static ObjectNode object() {
            return Json.mapper().createObjectNode();
        }

        static ArrayNode array() {
            return Json.mapper().createArrayNode();
        }
    }
}
