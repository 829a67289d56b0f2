package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Ids;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One simulated device of one vendor. The platform pulls (or the vendor pushes) its data in sync
 * sessions: every {@link #syncEvery} a session starts ({@code sync_started}), delivers every
 * reading taken since the last successful session, and completes ({@code sync_completed}); now
 * and then it fails ({@code sync_failed}) and the next session catches up. Independently the
 * device reports its battery ({@code device_status}).
 *
 * <p>A subclass only says what a session delivers ({@link #collect}) and what a status report
 * holds ({@link #status}). Randomness comes from the device's own {@link #random}, seeded from the
 * fleet seed and the device id, so adding a device never changes another device's output.
 */
abstract class DeviceSimulator {
    private static final Duration STATUS_EVERY = Duration.ofMinutes(30);
    private static final double SYNC_FAILURE_RATE = 0.02;
    private static final String[] SYNC_ERRORS = {"HTTP 429 Too Many Requests", "HTTP 503 Service Unavailable",
        "read timed out after 30s", "HTTP 401 token expired"};

    protected final Physiology body;
    protected final SimulatedUser user;
    protected final String deviceId;
    protected final String vendor;
    protected final Random random;
    private final Duration syncEvery;
    private FaultInjector faults;
    private Instant collectedUpTo;
    private Instant nextSync;
    private Instant nextStatus;
    private boolean firstSync = true;

    /** Receives a session's envelopes; the time is when the reading was delivered. */
    interface Delivery {
        void envelope(String kind, JsonNode payload);
    }

    DeviceSimulator(Physiology body, String deviceId, String vendor, Duration syncEvery, long fleetSeed, Instant start) {
        this.body = body;
        this.user = body.user();
        this.deviceId = deviceId;
        this.vendor = vendor;
        this.syncEvery = syncEvery;
        this.random = new Random(Long.parseLong(Ids.hash("device-seed", Long.toString(fleetSeed), deviceId)
                .substring(0, 15), 16));
        this.faults = new FaultInjector(FaultModel.none(), random);
        this.collectedUpTo = start;
        // Devices of a fleet do not all sync on the same second.
        this.nextSync = start.plusSeconds(1 + random.nextInt((int) Math.max(1, syncEvery.toSeconds())));
        this.nextStatus = start.plusSeconds(random.nextInt((int) STATUS_EVERY.toSeconds()));
    }

    /** Replaces the device's fault model; call before the first {@link #advance}. */
    void faults(FaultModel model) {
        this.faults = new FaultInjector(model, random);
    }

    String deviceId() {
        return deviceId;
    }

    String vendor() {
        return vendor;
    }

    /** Runs the device's sessions and status reports due up to {@code to} (inclusive). */
    final void advance(Instant to, Consumer<SimulatedEnvelope> out) {
        while (true) {
            Instant next = nextSync.isBefore(nextStatus) ? nextSync : nextStatus;
            if (next.isAfter(to)) break;
            faults.release(next, out);
            if (next.equals(nextSync)) {
                sync(nextSync, out);
                nextSync = nextSync.plus(syncEvery);
            } else {
                ObjectNode s = status(nextStatus);
                if (s != null) {
                    s.put("time", nextStatus.toString());
                    faults.send(draft("device_status", nextStatus, null, s), out);
                }
                nextStatus = nextStatus.plus(STATUS_EVERY);
            }
        }
        faults.release(to, out);
    }

    private void sync(Instant at, Consumer<SimulatedEnvelope> out) {
        String syncId = "s-" + Ids.hash("sync", deviceId, at.toString()).substring(0, 12);
        if (!reportsSyncs()) {
            collect(collectedUpTo, at, firstSync, (kind, payload) ->
                    faults.send(draft(kind, at.plusSeconds(2), null, payload), out));
            collectedUpTo = at;
            firstSync = false;
            return;
        }
        faults.send(draft("sync_started", at, syncId, object().put("sync_id", syncId)), out);
        if (!firstSync && random.nextDouble() < SYNC_FAILURE_RATE) {
            faults.send(draft("sync_failed", at.plusSeconds(31), syncId, object().put("sync_id", syncId)
                    .put("error", SYNC_ERRORS[random.nextInt(SYNC_ERRORS.length)])), out);
            return; // the next session delivers this one's readings too
        }
        Instant delivered = at.plusSeconds(2);
        collect(collectedUpTo, at, firstSync, (kind, payload) ->
                faults.send(draft(kind, delivered, syncId, payload), out));
        collectedUpTo = at;
        firstSync = false;
        faults.send(draft("sync_completed", at.plusSeconds(4), syncId, object().put("sync_id", syncId)), out);
    }

    /**
     * Delivers the readings taken in [{@code from}, {@code to}). {@code first} is true for the
     * device's first session, which also delivers the latest daily summaries (as an integration
     * does when a user connects a device), so every kind appears early in a run.
     */
    protected abstract void collect(Instant from, Instant to, boolean first, Delivery out);

    /** False for a source without sessions of its own (records typed in by hand). */
    protected boolean reportsSyncs() {
        return true;
    }

    /** A {@code device_status} payload for {@code at}, or null if the device reports none. */
    protected abstract ObjectNode status(Instant at);

    private Draft draft(String kind, Instant sentAt, String syncId, JsonNode payload) {
        ObjectNode e = object()
                .put("vendor", vendor)
                .put("kind", kind)
                .put("user_id", user.id())
                .put("device_id", deviceId)
                .put("received_at", sentAt.toString())
                .put("time_zone", user.zone().getId());
        if (syncId != null) e.put("sync_id", syncId);
        e.set("payload", payload);
        return new Draft(deviceId, vendor, kind, sentAt, e);
    }

    // ---- helpers for subclasses ----

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    static ArrayNode array() {
        return Json.mapper().createArrayNode();
    }

    /** Calls {@code each} for every multiple of {@code every} (from the epoch) within [from, to). */
    static void every(Instant from, Instant to, Duration every, Consumer<Instant> each) {
        long step = every.toSeconds();
        long first = Math.floorDiv(from.getEpochSecond() + step - 1, step) * step;
        for (long s = first; s < to.getEpochSecond(); s += step) each.accept(Instant.ofEpochSecond(s));
    }

    /** True if a daily event at local {@code hour}:{@code minute} falls within [from, to). */
    boolean dailyAt(Instant from, Instant to, int hour, int minute) {
        var local = body.local(from).withHour(hour).withMinute(minute).withSecond(0).withNano(0);
        for (int d = -1; d <= 1; d++) {
            Instant t = local.plusDays(d).toInstant();
            if (!t.isBefore(from) && t.isBefore(to)) return true;
        }
        return false;
    }

    /** A version-4 style UUID drawn from the device's random, so it repeats with the seed. */
    String uuid() {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    double noise(double sd) {
        return random.nextGaussian() * sd;
    }
}
