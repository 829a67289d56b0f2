package com.vitasense.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import com.vitasense.records.Json;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The vendor fixtures in {@code src/test/resources/vendors/<vendor>/<kind>[-variant].json}: full raw
 * envelopes as vendors' APIs deliver them. A file whose name contains {@code -invalid-} is a
 * deliberately bad record that must become a dead letter.
 */
final class VendorFixtures {
    private VendorFixtures() {}

    /** The fixture's bytes, exactly as stored (some are deliberately not valid JSON). */
    static byte[] bytes(String name) {
        try (InputStream in = VendorFixtures.class.getResourceAsStream("/vendors/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture vendors/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawRecord record(String name) {
        return Envelopes.record(bytes(name));
    }

    /** The fixture as a mutable JSON tree, for variants of it. */
    static ObjectNode json(String name) {
        try {
            return (ObjectNode) Json.mapper().readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses an envelope with the default registry. */
    static ParseResult parse(JsonNode envelope) {
        return new EnvelopeParser().parse(Envelopes.record(envelope));
    }

    /** Parses an envelope that must be accepted. */
    static ParseResult accepted(JsonNode envelope) {
        ParseResult r = parse(envelope);
        assertThat(r.deadLetters()).as("dead letters").isEmpty();
        return r;
    }

    /** Parses an envelope that must be rejected with {@code reason} and a message containing {@code message}. */
    static void rejected(JsonNode envelope, DeadLetterReason reason, String message) {
        ParseResult r = parse(envelope);
        assertThat(r.deadLetters()).as("dead letters of %s", envelope).hasSize(1);
        assertThat(r.points()).isEmpty();
        assertThat(r.deviceEvents()).isEmpty();
        assertThat(r.references()).isEmpty();
        assertThat(r.deadLetter().reason).isEqualTo(reason.name());
        assertThat(r.deadLetter().error).contains(message);
    }

    /**
     * Asserts the record's one dead letter: {@code NO_MEASUREMENT} with exactly {@code error}, next
     * to whatever output the record's other items gave (checked by the caller).
     */
    static void assertNoMeasurement(ParseResult r, String error) {
        assertThat(r.deadLetters()).as("dead letters").hasSize(1);
        assertThat(r.deadLetter().reason).isEqualTo(DeadLetterReason.NO_MEASUREMENT.name());
        assertThat(r.deadLetter().error).isEqualTo(error);
    }

    /** Parses a fixture with the default registry. */
    static ParseResult parse(String name) {
        return new EnvelopeParser().parse(record(name));
    }

    /** Parses a fixture that must be accepted. */
    static ParseResult accepted(String name) {
        ParseResult r = parse(name);
        assertThat(r.deadLetters()).as("dead letters of %s", name).isEmpty();
        return r;
    }

    /** Every fixture, as {@code vendor/file.json}, sorted. */
    static List<String> all() {
        try {
            URL root = VendorFixtures.class.getResource("/vendors");
            Path dir = Path.of(root.toURI());
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile)
                        .map(f -> dir.relativize(f).toString().replace('\\', '/'))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isInvalid(String name) {
        return name.contains("-invalid-");
    }

    /**
     * One line per point with every field a vendor parser decides: metric, category, value and unit,
     * raw value and unit, interval, time source, model, source record id, flags.
     */
    static String describe(DataPoint p) {
        StringBuilder s = new StringBuilder(p.metric);
        if (p.category != null) s.append(' ').append(p.category);
        if (p.value != null) s.append(' ').append(p.value).append(' ').append(p.unit);
        s.append(" raw=").append(p.rawValue).append(' ').append(p.rawUnit);
        s.append(' ').append(p.startTime);
        if (!p.endTime.equals(p.startTime)) s.append("..").append(p.endTime);
        s.append(' ').append(p.timeSource);
        if (p.deviceModel != null) s.append(" model=").append(p.deviceModel);
        if (p.sourceRecordId != null) s.append(" rec=").append(p.sourceRecordId);
        if (p.qualityFlags != 0) s.append(' ').append(p.flagNames());
        return s.toString();
    }

    static List<String> describePoints(ParseResult r) {
        return r.points().stream().map(VendorFixtures::describe).toList();
    }

    /** One line per device event with every field a vendor parser may set. */
    static String describe(DeviceEvent e) {
        StringBuilder s = new StringBuilder(e.type).append(' ').append(e.deviceId).append(" @").append(e.eventTime);
        s.append(' ').append(e.timeSource);
        if (e.deviceModel != null) s.append(" model=").append(e.deviceModel);
        if (e.vendorDeviceId != null) s.append(" vendorId=").append(e.vendorDeviceId);
        if (e.batteryLevel != null) s.append(" battery=").append(e.batteryLevel);
        if (e.batteryState != null) s.append(" state=").append(e.batteryState);
        if (e.charging != null) s.append(" charging=").append(e.charging);
        if (e.inCharger != null) s.append(" inCharger=").append(e.inCharger);
        if (e.lastSync != null) s.append(" lastSync=").append(e.lastSync);
        if (e.calibrating != null) s.append(" calibrating=").append(e.calibrating);
        if (e.errorCode != null) s.append(" code=").append(e.errorCode);
        if (e.error != null) s.append(" error=").append(e.error);
        if (e.firmware != null) s.append(" firmware=").append(e.firmware);
        if (e.connected != null) s.append(" connected=").append(e.connected);
        return s.toString();
    }

    static List<String> describeEvents(ParseResult r) {
        return r.deviceEvents().stream().map(VendorFixtures::describe).toList();
    }

    static String describe(ReferenceMeasurement m) {
        return m.source + " " + m.metric + " " + m.value + " " + m.unit + " raw=" + m.rawValue + " " + m.rawUnit + " @"
                + m.time + (m.slope != null ? " slope=" + m.slope + " intercept=" + m.intercept + " scale=" + m.scale : "");
    }

    /**
     * The documented point id: {@code Ids.hash("point", user, device, metric, start, end,
     * sourceRecordId)}, the end left out when a vendor record id is present.
     */
    static String expectedId(DataPoint p) {
        return Ids.hash("point", p.userId, p.deviceId, p.metric, p.startTime.toString(),
                p.sourceRecordId == null ? p.endTime.toString() : null, p.sourceRecordId);
    }

    /** The fields every point of an envelope shares, and the id recipe. */
    static void assertEnvelopeFields(ParseResult r, String user, String device, String vendor, String receivedAt) {
        for (DataPoint p : r.points()) {
            assertThat(p.userId).isEqualTo(user);
            assertThat(p.deviceId).isEqualTo(device);
            assertThat(p.vendor).isEqualTo(vendor);
            assertThat(p.ingestedAt).hasToString(receivedAt);
            assertThat(p.revision).isEqualTo(1);
            assertThat(p.qualityScore).isNull();
            assertThat(p.calibrationId).isNull();
            assertThat(p.id).as("id of %s", describe(p)).isEqualTo(expectedId(p));
        }
        assertThat(r.points().stream().map(p -> p.id).distinct()).as("distinct ids").hasSameSizeAs(r.points());
        for (DeviceEvent e : r.deviceEvents()) {
            assertThat(e.userId).isEqualTo(user);
            assertThat(e.vendor).isEqualTo(vendor);
            assertThat(e.id).hasSize(32);
        }
        for (ReferenceMeasurement m : r.references()) {
            assertThat(m.userId).isEqualTo(user);
            assertThat(m.deviceId).isEqualTo(device);
            assertThat(m.vendor).isEqualTo(vendor);
            assertThat(m.id).isEqualTo(Ids.hash("reference", user, device, m.metric, m.time.toString(), m.source));
        }
    }
}
