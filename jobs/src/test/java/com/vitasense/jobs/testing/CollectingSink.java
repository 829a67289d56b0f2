package com.vitasense.jobs.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 that collects records in memory for assertions. Sinks are serialized into the job, so
 * each instance finds its buffer through a JVM-wide registry by id; this works on a MiniCluster,
 * which runs in the test's JVM.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, List<Object>> BUFFERS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        BUFFERS.put(id, new CopyOnWriteArrayList<>());
    }

    /** Everything written so far, in arrival order across subtasks. */
    @SuppressWarnings("unchecked")
    public List<T> values() {
        return new ArrayList<>((List<T>) (List<?>) BUFFERS.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> buffer = BUFFERS.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                buffer.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
