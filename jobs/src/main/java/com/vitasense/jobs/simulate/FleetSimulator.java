package com.vitasense.jobs.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulated fleet of users and their devices, of every vendor of docs/design.md, on a simulated clock.
 * Each device ({@link DeviceSimulator}) sends what its vendor's API returns, in sync sessions, with
 * device status reports; a {@link FaultModel} per device spoils, repeats or delays a share of
 * the envelopes and labels each one ({@link SimulatedEnvelope#fault()}).
 *
 * <p>Who wears what: every user has a chest strap and a scale that report through the companion
 * app ({@code canonical}), a CGM (Dexcom, Libre or a Nightscout uploader, in turn) whose
 * fingersticks also arrive as canonical calibrations, a watch (Apple Watch or Fitbit, in turn)
 * and a ring or band (Oura or WHOOP, in turn). Any fleet of three users or more covers every
 * vendor and kind.
 *
 * <p>The same seed, users, start and fault models give the same envelopes in the same order: each
 * device draws from its own random, seeded from the fleet seed and its device id.
 */
public final class FleetSimulator {

    /** A device of the fleet, for reports and for scenarios that pick devices to disturb. */
    public record Device(String userId, String deviceId, String vendor) {}

    /** Chooses the fault model of each device; the default applies one model to all. */
    @FunctionalInterface
    public interface FaultPlan {
        FaultModel forDevice(Device device);
    }

    private final List<DeviceSimulator> devices = new ArrayList<>();
    private Instant clock;

    /**
     * @param seed random seed of the whole fleet
     * @param users number of simulated users
     * @param start simulated start time
     * @param faultRate share (0..1) of envelopes that are malformed, of an unknown vendor, missing a
     *     field, duplicated or late, evenly
     */
    public FleetSimulator(long seed, int users, Instant start, double faultRate) {
        this(seed, users, start, device -> FaultModel.uniform(faultRate));
    }

    public FleetSimulator(long seed, int users, Instant start, FaultPlan faults) {
        if (users < 1) throw new IllegalArgumentException("a fleet needs at least one user, got " + users);
        this.clock = start;
        for (int i = 0; i < users; i++) {
            Physiology body = new Physiology(SimulatedUser.number(i));
            DeviceSimulator cgm = switch (i % 3) {
                case 0 -> DexcomDevice.create(body, seed, start);
                case 1 -> LibreDevice.create(body, seed, start);
                default -> NightscoutDevice.create(body, seed, start);
            };
            add(CanonicalDevice.strap(body, seed, start), faults);
            add(CanonicalDevice.scale(body, seed, start), faults);
            add(cgm, faults);
            add(CanonicalDevice.fingerstick(body, cgm.deviceId(), seed, start), faults);
            add(i % 2 == 0 ? AppleHealthDevice.create(body, seed, start)
                    : FitbitDevice.create(body, seed, start), faults);
            add(i % 2 == 0 ? OuraDevice.create(body, seed, start)
                    : WhoopDevice.create(body, seed, start), faults);
        }
    }

    private void add(DeviceSimulator d, FaultPlan plan) {
        d.faults(plan.forDevice(new Device(d.user.id(), d.deviceId(), d.vendor())));
        devices.add(d);
    }

    /** The devices of the fleet, in the order their envelopes are emitted within a step. */
    public List<Device> devices() {
        List<Device> list = new ArrayList<>();
        for (DeviceSimulator d : devices) list.add(new Device(d.user.id(), d.deviceId(), d.vendor()));
        return Collections.unmodifiableList(list);
    }

    /** The simulated time up to which everything has been sent. */
    public Instant clock() {
        return clock;
    }

    /** Advances the simulated clock by {@code step} and hands every envelope sent meanwhile to {@code out}. */
    public void advance(Duration step, Consumer<SimulatedEnvelope> out) {
        Instant to = clock.plus(step);
        for (DeviceSimulator d : devices) d.advance(to, out);
        clock = to;
    }

}
