package com.vitasense.jobs.eval;

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
 * A Sink V2 that keeps what it receives in the memory of the JVM that runs the job, for commands
 * that run the pipeline on a local (in-process) cluster and look at its output afterwards. The
 * sink is serialized into the job, so each instance finds its buffer through a JVM-wide registry
 * by id; on a remote cluster the records would land in the task managers' memory, so this is for
 * local environments only. {@link #close()} releases the buffer.
 */
public final class InProcessCollector<T> implements Sink<T>, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Object>> BUFFERS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public InProcessCollector() {
        BUFFERS.put(id, new CopyOnWriteArrayList<>());
    }

    /** Everything written so far, in arrival order across subtasks. */
    @SuppressWarnings("unchecked")
    public List<T> values() {
        List<Object> buffer = BUFFERS.get(id);
        if (buffer == null) throw new IllegalStateException("collector already closed");
        return new ArrayList<>((List<T>) (List<?>) buffer);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> buffer = BUFFERS.get(id);
        if (buffer == null) throw new IllegalStateException("collector " + id + " is not in this JVM (local environments only)");
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

    @Override
    public void close() {
        BUFFERS.remove(id);
    }
}
