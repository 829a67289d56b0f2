package com.vitasense.vendors.apple;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an Apple Health {@code export.xml} as a stream of raw envelopes (docs/design.md, "Raw
 * envelope"), one {@code <Record>} or {@code <Workout>} at a time. Memory stays bounded whatever
 * the file size: StAX pulls one element at a time and nothing is kept between elements except
 * counters and a small device-id cache.
 *
 * <ul>
 *   <li>{@code <Record>} becomes kind {@code record} with a payload of the export's own attribute
 *       names: {@code type, value, unit, startDate, endDate, creationDate, sourceName,
 *       sourceVersion, device, metadata} (each only when present; {@code metadata} maps
 *       {@code MetadataEntry} keys to values). Values and dates stay the text of the file.
 *   <li>{@code <Workout>} becomes kind {@code workout}: {@code workoutActivityType, duration,
 *       durationUnit, startDate, endDate, creationDate, sourceName, device, statistics, metadata},
 *       {@code statistics} holding one {@code {type, sum, average, minimum, maximum, unit}} per
 *       {@code WorkoutStatistics} child.
 *   <li>Everything else ({@code ExportDate}, {@code Me}, {@code Correlation}, {@code
 *       ActivitySummary}, {@code ClinicalRecord}, and children such as {@code
 *       HeartRateVariabilityMetadataList} or {@code WorkoutRoute}) is skipped and counted in
 *       {@link #skipped()}. A {@code Correlation}'s records are skipped with it: the export lists
 *       them as top-level records as well.
 * </ul>
 *
 * <p>The envelope's {@code device_id} comes from {@link AppleDeviceIds}, and {@code received_at}
 * is the sample's {@code creationDate} (else its end or start date) as an instant, so a re-import
 * of the same file produces identical envelopes. A sample without any valid date is still emitted,
 * without {@code received_at}, and counted in {@link #withoutDate()}: the pipeline dead-letters it
 * rather than the import dropping it.
 *
 * <p>Security: the export starts with a DOCTYPE holding an internal DTD subset; it is read over but
 * not interpreted (see {@link #factory()}), so no entity is expanded and nothing external is
 * fetched (XXE). A file that is not well-formed fails with an {@link AppleHealthExportException}
 * giving the line and column.
 */
public final class AppleHealthExportReader implements Iterator<AppleHealthExportReader.ExportEnvelope>, Closeable {
    public static final String VENDOR = "apple_health";
    public static final String KIND_RECORD = "record";
    public static final String KIND_WORKOUT = "workout";

    private static final String ROOT = "HealthData";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Distinct (sourceName, device) pairs in an export are few; the cap only guards odd files. */
    private static final int DEVICE_CACHE_SIZE = 4096;

    /**
     * One envelope read from the export.
     *
     * @param kind {@code record} or {@code workout}
     * @param deviceId the envelope's {@code device_id}, also the Kafka key
     * @param envelope the envelope as a JSON object
     */
    public record ExportEnvelope(String kind, String deviceId, ObjectNode envelope) {
        /** The envelope as one line of compact JSON. */
        public String json() {
            return envelope.toString();
        }
    }

    private final InputStream input;
    private final XMLStreamReader xml;
    private final String userId;
    private final String timeZone;
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, String> deviceIds = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > DEVICE_CACHE_SIZE;
        }
    };
    private long records;
    private long workouts;
    private long withoutDate;
    private ExportEnvelope next;
    private boolean finished;

    private AppleHealthExportReader(InputStream input, String userId, ZoneId timeZone) {
        this.input = input;
        this.userId = Objects.requireNonNull(userId, "userId");
        this.timeZone = timeZone == null ? null : timeZone.getId();
        try {
            this.xml = factory().createXMLStreamReader(input);
            enterRoot();
        } catch (XMLStreamException e) {
            closeQuietlyAfter(e);
            throw malformed(e);
        } catch (RuntimeException e) {
            closeQuietlyAfter(e);
            throw e;
        }
    }

    /**
     * Starts reading an export. The reader owns {@code input} and closes it on {@link #close()}.
     *
     * @param userId the platform user the export belongs to
     * @param timeZone the user's profile time zone for the envelopes, or null
     * @throws AppleHealthExportException if the file does not start like an Apple Health export
     */
    public static AppleHealthExportReader open(InputStream input, String userId, ZoneId timeZone) {
        InputStream buffered = input instanceof BufferedInputStream ? input : new BufferedInputStream(input, 1 << 16);
        return new AppleHealthExportReader(buffered, userId, timeZone);
    }

    /**
     * A StAX factory that reads over the export's DOCTYPE without processing it. The Health app's
     * internal DTD subset only declares elements and attributes (no entities, no attribute
     * defaults), so nothing is lost by not interpreting it, and much is gained: no entity is ever
     * expanded (no XXE, no expansion bombs: an entity reference is an undeclared-entity error),
     * nothing external is fetched, and parsing runs about twice as fast as with DTD processing.
     * The external-access properties and the refusing resolver are a second line of defence. The
     * JDK's own implementation is used on purpose, so these settings apply whatever else is on the
     * class path.
     */
    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entity refused: " + systemId);
        });
        return f;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) next = fetch();
        return next != null;
    }

    @Override
    public ExportEnvelope next() {
        if (!hasNext()) throw new NoSuchElementException("end of export");
        ExportEnvelope e = next;
        next = null;
        return e;
    }

    /** {@code <Record>} elements read so far. */
    public long records() {
        return records;
    }

    /** {@code <Workout>} elements read so far. */
    public long workouts() {
        return workouts;
    }

    /** Samples emitted without {@code received_at} because none of their dates could be read. */
    public long withoutDate() {
        return withoutDate;
    }

    /**
     * Elements skipped so far, by name: top-level elements as {@code Correlation}, children of a
     * record or workout as {@code Record/HeartRateVariabilityMetadataList}. Sorted by name.
     */
    public Map<String, Long> skipped() {
        return Collections.unmodifiableMap(skipped);
    }

    @Override
    public void close() throws IOException {
        finished = true;
        try {
            xml.close();
        } catch (XMLStreamException e) {
            input.close();
            throw new IOException("cannot close the export reader", e);
        }
        input.close();
    }

    private void enterRoot() throws XMLStreamException {
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                if (!ROOT.equals(xml.getLocalName())) {
                    Location l = xml.getLocation();
                    throw new AppleHealthExportException("not an Apple Health export: the root element is <"
                            + xml.getLocalName() + ">, expected <" + ROOT + ">", l.getLineNumber(), l.getColumnNumber(), null);
                }
                return;
            }
        }
        throw new AppleHealthExportException("not an Apple Health export: no root element", -1, -1, null);
    }

    /** Reads up to the next record or workout among the root's children; null at the end. */
    private ExportEnvelope fetch() {
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if ("Record".equals(name)) {
                        records++;
                        return record();
                    }
                    if ("Workout".equals(name)) {
                        workouts++;
                        return workout();
                    }
                    skip(name);
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    // The root's end: only trailing comments and whitespace may follow, still checked.
                    while (xml.hasNext()) xml.next();
                    finished = true;
                    return null;
                }
            }
            finished = true;
            return null;
        } catch (XMLStreamException e) {
            finished = true;
            throw malformed(e);
        }
    }

    private ExportEnvelope record() throws XMLStreamException {
        String type = null, value = null, unit = null, startDate = null, endDate = null, creationDate = null;
        String sourceName = null, sourceVersion = null, device = null;
        for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
            String v = xml.getAttributeValue(i);
            switch (xml.getAttributeLocalName(i)) {
                case "type" -> type = v;
                case "value" -> value = v;
                case "unit" -> unit = v;
                case "startDate" -> startDate = v;
                case "endDate" -> endDate = v;
                case "creationDate" -> creationDate = v;
                case "sourceName" -> sourceName = v;
                case "sourceVersion" -> sourceVersion = v;
                case "device" -> device = v;
                default -> { } // not part of the agreed payload
            }
        }
        ObjectNode payload = NODES.objectNode();
        putIfPresent(payload, "type", type);
        putIfPresent(payload, "value", value);
        putIfPresent(payload, "unit", unit);
        putIfPresent(payload, "startDate", startDate);
        putIfPresent(payload, "endDate", endDate);
        putIfPresent(payload, "creationDate", creationDate);
        putIfPresent(payload, "sourceName", sourceName);
        putIfPresent(payload, "sourceVersion", sourceVersion);
        putIfPresent(payload, "device", device);
        ObjectNode metadata = children("Record", null);
        if (metadata != null) payload.set("metadata", metadata);
        return envelope(KIND_RECORD, sourceName, device, creationDate, endDate, startDate, payload);
    }

    private ExportEnvelope workout() throws XMLStreamException {
        String activityType = null, duration = null, durationUnit = null, startDate = null, endDate = null;
        String creationDate = null, sourceName = null, device = null;
        for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
            String v = xml.getAttributeValue(i);
            switch (xml.getAttributeLocalName(i)) {
                case "workoutActivityType" -> activityType = v;
                case "duration" -> duration = v;
                case "durationUnit" -> durationUnit = v;
                case "startDate" -> startDate = v;
                case "endDate" -> endDate = v;
                case "creationDate" -> creationDate = v;
                case "sourceName" -> sourceName = v;
                case "device" -> device = v;
                default -> { } // not part of the agreed payload
            }
        }
        ObjectNode payload = NODES.objectNode();
        putIfPresent(payload, "workoutActivityType", activityType);
        putIfPresent(payload, "duration", duration);
        putIfPresent(payload, "durationUnit", durationUnit);
        putIfPresent(payload, "startDate", startDate);
        putIfPresent(payload, "endDate", endDate);
        putIfPresent(payload, "creationDate", creationDate);
        putIfPresent(payload, "sourceName", sourceName);
        putIfPresent(payload, "device", device);
        ArrayNode statistics = payload.putArray("statistics");
        ObjectNode metadata = children("Workout", statistics);
        if (metadata != null) payload.set("metadata", metadata);
        return envelope(KIND_WORKOUT, sourceName, device, creationDate, endDate, startDate, payload);
    }

    /**
     * Reads the children of the current record or workout up to its end tag: {@code MetadataEntry}
     * into the returned map (null when there is none), {@code WorkoutStatistics} into
     * {@code statistics} when given, anything else skipped and counted as {@code parent/child}.
     */
    private ObjectNode children(String parent, ArrayNode statistics) throws XMLStreamException {
        ObjectNode metadata = null;
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) return metadata;
            if (event != XMLStreamConstants.START_ELEMENT) continue;
            String name = xml.getLocalName();
            if ("MetadataEntry".equals(name)) {
                String key = xml.getAttributeValue(null, "key");
                String value = xml.getAttributeValue(null, "value");
                if (key != null) {
                    if (metadata == null) metadata = NODES.objectNode();
                    metadata.put(key, value);
                }
                skipContent();
            } else if (statistics != null && "WorkoutStatistics".equals(name)) {
                ObjectNode s = statistics.addObject();
                putIfPresent(s, "type", xml.getAttributeValue(null, "type"));
                putIfPresent(s, "sum", xml.getAttributeValue(null, "sum"));
                putIfPresent(s, "average", xml.getAttributeValue(null, "average"));
                putIfPresent(s, "minimum", xml.getAttributeValue(null, "minimum"));
                putIfPresent(s, "maximum", xml.getAttributeValue(null, "maximum"));
                putIfPresent(s, "unit", xml.getAttributeValue(null, "unit"));
                skipContent();
            } else {
                skip(parent + "/" + name);
            }
        }
    }

    private ExportEnvelope envelope(String kind, String sourceName, String device, String creationDate,
                                    String endDate, String startDate, ObjectNode payload) {
        String deviceId = deviceId(sourceName, device);
        ObjectNode e = NODES.objectNode();
        e.put("vendor", VENDOR);
        e.put("kind", kind);
        e.put("user_id", userId);
        e.put("device_id", deviceId);
        Instant receivedAt = firstInstant(creationDate, endDate, startDate);
        if (receivedAt != null) {
            e.put("received_at", receivedAt.toString());
        } else {
            withoutDate++;
        }
        if (timeZone != null) e.put("time_zone", timeZone);
        e.set("payload", payload);
        return new ExportEnvelope(kind, deviceId, e);
    }

    private String deviceId(String sourceName, String device) {
        String cacheKey = sourceName + '\u0000' + device;
        String id = deviceIds.get(cacheKey);
        if (id == null) {
            id = AppleDeviceIds.deviceId(userId, sourceName, device);
            deviceIds.put(cacheKey, id);
        }
        return id;
    }

    private static Instant firstInstant(String... dates) {
        for (String d : dates) {
            if (d == null) continue;
            try {
                return AppleHealthDates.parse(d).toInstant();
            } catch (DateTimeException e) {
                // Deliberately not fatal: the next date is tried, and a sample without any valid
                // date is emitted without received_at (counted in withoutDate) for the DLQ to keep.
                continue;
            }
        }
        return null;
    }

    /** Skips the current element and its subtree, counting it under {@code label}. */
    private void skip(String label) throws XMLStreamException {
        skipped.merge(label, 1L, Long::sum);
        skipContent();
    }

    /** Advances past the end tag of the current element, whatever it contains. */
    private void skipContent() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) depth++;
            else if (event == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) node.put(name, value);
    }

    /** A read failure as the exception a caller can act on: I/O stays I/O, bad XML names its place. */
    private static RuntimeException malformed(XMLStreamException e) {
        if (e.getNestedException() instanceof IOException io) {
            return new UncheckedIOException("cannot read the export: " + io.getMessage(), io);
        }
        Location l = e.getLocation();
        String message = e.getMessage() == null ? "unreadable XML" : e.getMessage();
        // The JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; the location is added once, below.
        int at = message.indexOf("Message: ");
        if (at >= 0) message = message.substring(at + "Message: ".length());
        return new AppleHealthExportException("malformed export.xml: " + message.strip(),
                l == null ? -1 : l.getLineNumber(), l == null ? -1 : l.getColumnNumber(), e);
    }

    private void closeQuietlyAfter(Exception failure) {
        try {
            input.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }
}
