package com.vitasense.quality;

import java.util.Objects;

/**
 * What {@link ReadingAdmission} remembers about a reading it has let through: enough to recognise
 * an exact repeat, to number a revision, and to expire the entry in event time. A Flink POJO, so
 * the state is serialized without Kryo and can evolve.
 */
public class SeenReading {
    /** {@code DataPoint.contentHash()} of the last admitted version. */
    public long contentHash;
    /** Revision of the last admitted version. */
    public int revision;
    /** The reading's event time in epoch millis; the entry expires at eventTime + retention. */
    public long eventTime;

    public SeenReading() {}

    public SeenReading(long contentHash, int revision, long eventTime) {
        this.contentHash = contentHash;
        this.revision = revision;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SeenReading s)) return false;
        return contentHash == s.contentHash && revision == s.revision && eventTime == s.eventTime;
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentHash, revision, eventTime);
    }

    @Override
    public String toString() {
        return "SeenReading{hash=" + contentHash + " r" + revision + " @" + eventTime + "}";
    }
}
