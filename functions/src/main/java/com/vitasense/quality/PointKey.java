package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/**
 * The keys the quality functions partition readings by: (device, metric) for a series' own rules,
 * (user, metric) for comparing devices. A named class rather than a lambda so that Flink knows the
 * key type without reflection on erased generics.
 */
public final class PointKey implements KeySelector<DataPoint, String>, ResultTypeQueryable<String> {
    private static final long serialVersionUID = 1L;

    private final boolean byUser;

    private PointKey(boolean byUser) {
        this.byUser = byUser;
    }

    /** {@code deviceId|metric}. */
    public static PointKey deviceMetric() {
        return new PointKey(false);
    }

    /** {@code userId|metric}. */
    public static PointKey userMetric() {
        return new PointKey(true);
    }

    @Override
    public String getKey(DataPoint p) {
        return (byUser ? p.userId : p.deviceId) + "|" + p.metric;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
