package com.vitasense.vendors;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.RawRecord;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The validated raw envelope (docs/design.md, "Raw envelope"): who sent what, when it arrived, and the
 * vendor's payload still as JSON for the vendor's own parser.
 *
 * @param vendor the vendor name, e.g. {@code dexcom}
 * @param kind the vendor endpoint or record type, e.g. {@code egvs}
 * @param userId the platform user
 * @param deviceId the platform device
 * @param receivedAt when the platform received the record; also the point's {@code ingested_at},
 *     so replays and backfills reproduce it
 * @param timeZone the user's profile time zone, for vendor times without an offset; null if unknown
 * @param syncId the sync session the record belongs to, or null
 * @param payload the vendor's JSON: an object, or an array for vendors whose endpoint returns one
 * @param source the raw record, for dead letters and tracing
 */
public record Envelope(String vendor, String kind, String userId, String deviceId, Instant receivedAt,
                       ZoneId timeZone, String syncId, JsonNode payload, RawRecord source) {
}
