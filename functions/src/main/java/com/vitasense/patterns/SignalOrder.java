package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;
import java.util.Comparator;
import org.apache.flink.cep.EventComparator;

/**
 * The order CEP gives signals of one key with the same timestamp (two versions of a re-sent reading,
 * a reading and a sync step at the same second): by content, so a pattern matches the same way
 * whether the stream delivered them in one order or a batch sort in another.
 */
public final class SignalOrder implements EventComparator<DeviceSignal> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<DeviceSignal> ORDER = Comparator
            .comparing((DeviceSignal s) -> s.kind)
            .thenComparing(s -> s.metric, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.code, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.value, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.detail, Comparator.nullsFirst(Comparator.naturalOrder()));

    @Override
    public int compare(DeviceSignal a, DeviceSignal b) {
        return ORDER.compare(a, b);
    }
}
