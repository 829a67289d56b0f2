package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns the conditions of the device patterns into alerts users act on (keyed by device): an
 * episode of one alert type (and metric) is {@code raised} once when its condition first holds,
 * {@code cleared} once when it ends, and nothing is emitted while it stays open, except a raise of
 * its severity (a stale device turning urgent), which re-emits the raised alert with the new
 * severity under the same id. The id is derived from device, type, metric and the episode's start.
 *
 * <p>Conditions are applied in stream-time order ({@link AlertCondition#orderTime()}), buffered until
 * the watermark passes them, so the
 * result does not depend on the order in which the patterns' outputs interleave: a backfill and
 * the stream raise and clear the same episodes. Every timer is registered in
 * {@link #processElement}, never while timers fire (batch mode drops those). Conditions of the
 * processing-time watchdog have no event time and apply on arrival.
 *
 * <p>Each change of the device's status ({@code ok}, {@code degraded} with any open alert of at
 * least WARNING, {@code offline} while CONNECTIVITY_LOST is open) goes to {@link #STATUS}. State is
 * released when no alert is open and nothing is pending; an open alert that only an explicit end
 * clears is forgotten after {@code watchdog.retention} without any condition of its device (its
 * row stays raised).
 */
public class AlertLifecycle extends KeyedProcessFunction<String, AlertCondition, DeviceAlert> {
    private static final long serialVersionUID = 1L;

    /** Device status changes, as updates of {@code devices.status}. */
    public static final OutputTag<DeviceUpdate> STATUS = new OutputTag<>("device-status", TypeInformation.of(DeviceUpdate.class));

    public static final String OK = "ok";
    public static final String DEGRADED = "degraded";
    public static final String OFFLINE = "offline";

    private static final Comparator<AlertCondition> ORDER = Comparator
            .comparing((AlertCondition c) -> c.alertType)
            .thenComparing(c -> c.metric, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(c -> c.phase)
            .thenComparing(c -> c.startedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(c -> c.severity)
            // Last, the content: two conditions alike but for their numbers apply in a fixed order.
            .thenComparing(c -> c.eventTime)
            .thenComparing(c -> c.details, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final long retention;
    private transient MapState<Long, List<AlertCondition>> pending;
    private transient MapState<String, OpenAlert> open;
    private transient ValueState<String> status;
    private transient ValueState<Long> lastCondition;
    /** The user and vendor of the last alert raised or cleared, for the status update it causes. */
    private transient String lastUser;
    private transient String lastVendor;

    public AlertLifecycle(AlertRules rules) {
        this.retention = rules.duration("watchdog.retention").toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                Types.LIST(TypeInformation.of(AlertCondition.class))));
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("open", Types.STRING, TypeInformation.of(OpenAlert.class)));
        status = getRuntimeContext().getState(new ValueStateDescriptor<>("status", Types.STRING));
        lastCondition = getRuntimeContext().getState(new ValueStateDescriptor<>("last-condition", Types.LONG));
    }

    @Override
    public void processElement(AlertCondition c, Context ctx, Collector<DeviceAlert> out) throws Exception {
        long t = c.orderTime();
        if (c.watchdog || t <= ctx.timerService().currentWatermark()) {
            // Nothing to order it against any more: apply it now.
            apply(c, ctx, out);
            settle(t, ctx, out);
            return;
        }
        List<AlertCondition> at = pending.get(t);
        if (at == null) at = new ArrayList<>();
        at.add(c);
        pending.put(t, at);
        ctx.timerService().registerEventTimeTimer(t);
        if (c.quietMillis != null) ctx.timerService().registerEventTimeTimer(t + c.quietMillis);
        Long last = lastCondition.value();
        if (last == null || t > last) lastCondition.update(t);
        ctx.timerService().registerEventTimeTimer(t + retention);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeviceAlert> out) throws Exception {
        List<AlertCondition> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            due.sort(ORDER);
            for (AlertCondition c : due) apply(c, ctx, out);
        }
        settle(timestamp, ctx, out);
        Long last = lastCondition.value();
        if (last != null && last + retention <= timestamp && pending.isEmpty()) {
            // Open alerts that only an explicit end clears would otherwise be kept forever.
            open.clear();
            status.clear();
            lastCondition.clear();
        }
    }

    /** Clears every open alert whose quiet period has passed by {@code t}, then updates the status. */
    private void settle(long t, Context ctx, Collector<DeviceAlert> out) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, OpenAlert> e : open.entries()) {
            if (e.getValue().expiredAt(t)) expired.add(e.getKey());
        }
        expired.sort(Comparator.naturalOrder());
        for (String k : expired) {
            OpenAlert o = open.get(k);
            clear(k, o, o.lastSeen + o.quietMillis, ctx, out);
        }
        updateStatus(t, ctx);
        if (open.isEmpty() && pending.isEmpty()) {
            status.clear();
            lastCondition.clear();
        }
    }

    private void apply(AlertCondition c, Context ctx, Collector<DeviceAlert> out) throws Exception {
        String key = c.subject();
        long t = c.eventTime.toEpochMilli();
        OpenAlert o = open.get(key);
        // Expiry is decided in the lifecycle's order, the same in both modes; times written are event times.
        if (o != null && o.expiredAt(c.orderTime())) {
            clear(key, o, o.lastSeen + o.quietMillis, ctx, out);
            o = null;
        }
        switch (AlertCondition.Phase.valueOf(c.phase)) {
            case HOLDS -> {
                if (o == null) {
                    raise(key, c, ctx, out);
                } else {
                    o.lastSeen = Math.max(o.lastSeen, t);
                    if (c.quietMillis != null) o.quietMillis = c.quietMillis;
                    escalate(o, c, out);
                    open.put(key, o);
                }
            }
            case ENDED -> {
                if (o != null) clear(key, o, t, ctx, out);
            }
            case EPISODE -> {
                if (o == null) {
                    o = raise(key, c, ctx, out);
                } else {
                    escalate(o, c, out);
                }
                clear(key, o, c.endedAt.toEpochMilli(), ctx, out);
            }
        }
    }

    private OpenAlert raise(String key, AlertCondition c, Context ctx, Collector<DeviceAlert> out) throws Exception {
        DeviceAlert a = new DeviceAlert();
        a.startedAt = c.startedAt != null ? c.startedAt : c.eventTime;
        a.id = DeviceAlert.idOf(c.deviceId, c.alertType, c.metric, a.startedAt);
        a.userId = c.userId;
        a.deviceId = c.deviceId;
        a.alertType = c.alertType;
        a.metric = c.metric;
        a.severity = c.severity;
        a.status = DeviceAlert.RAISED;
        a.details = c.details;
        lastUser = c.userId;
        lastVendor = c.vendor;
        OpenAlert o = new OpenAlert();
        o.alert = a;
        o.vendor = c.vendor;
        o.lastSeen = c.eventTime.toEpochMilli();
        o.quietMillis = c.quietMillis;
        open.put(key, o);
        out.collect(a.copy());
        return o;
    }

    /** A higher severity re-emits the raised alert; a lower one changes nothing (no flapping). */
    private void escalate(OpenAlert o, AlertCondition c, Collector<DeviceAlert> out) {
        if (AlertType.Severity.valueOf(c.severity).compareTo(AlertType.Severity.valueOf(o.alert.severity)) > 0) {
            o.alert.severity = c.severity;
            if (c.details != null) o.alert.details = c.details;
            out.collect(o.alert.copy());
        }
    }

    private void clear(String key, OpenAlert o, long at, Context ctx, Collector<DeviceAlert> out) throws Exception {
        open.remove(key);
        DeviceAlert a = o.alert.copy();
        a.status = DeviceAlert.CLEARED;
        a.clearedAt = Instant.ofEpochMilli(at);
        out.collect(a);
        lastUser = a.userId;
        lastVendor = o.vendor;
    }

    /**
     * The device's status after everything applied at stream time {@code t}, written when it changed:
     * one update per point in stream time, stamped with it, so the newest update is the current
     * status whichever way the updates of one device are ordered downstream (a batch sort orders by
     * timestamp; a blip within one point in time, raised and cleared together, is not a change).
     */
    private void updateStatus(long t, Context ctx) throws Exception {
        String now = OK;
        for (OpenAlert o : open.values()) {
            if (AlertType.CONNECTIVITY_LOST.name().equals(o.alert.alertType)) {
                now = OFFLINE;
                break;
            }
            if (AlertType.Severity.valueOf(o.alert.severity).compareTo(AlertType.Severity.WARNING) >= 0) now = DEGRADED;
        }
        String before = status.value();
        if (!Objects.equals(before == null ? OK : before, now) && lastUser != null) {
            ctx.output(STATUS, DeviceUpdate.status(ctx.getCurrentKey(), lastUser, lastVendor, now, Instant.ofEpochMilli(t)));
        }
        if (OK.equals(now)) status.clear();
        else status.update(now);
        lastUser = null;
        lastVendor = null;
    }
}
