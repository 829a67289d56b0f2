package com.vitasense.jobs.bench;

import com.vitasense.jobs.BackfillJob;
import com.vitasense.jobs.DevicePipeline;
import com.vitasense.jobs.PipelineSinks;
import com.vitasense.jobs.SchemaMigration;
import com.vitasense.jobs.backfill.BackfillCounters;
import com.vitasense.jobs.backfill.InputSize;
import com.vitasense.jobs.backfill.ProgressReporter;
import com.vitasense.jobs.config.CheckpointSettings;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.local.EmbeddedPostgresServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./vitasense bench-backfill [--readings 10000000]}: generates readings as JSON lines, then
 * runs the backfill topology over them in batch mode and the same topology over the same files in
 * streaming mode, in one JVM one after the other, and prints both side by side: readings per
 * second, readings per CPU second (the fair figure on a shared machine), peak heap and peak
 * resident memory.
 *
 * <p>Streaming reads the same files rather than a Kafka topic so the two runs differ only in the
 * execution mode: the source, parsing and sinks are identical, and producing gigabytes to an
 * embedded broker first would measure the broker. It runs with the streaming job's own state and
 * checkpoint settings (RocksDB, incremental checkpoints every 30 s). Sinks discard by default;
 * {@code --sinks postgres} writes both runs to fresh databases of an embedded PostgreSQL instead.
 * Both modes get the same managed memory ({@code --managed-memory}, 1g): batch sorts in it,
 * RocksDB caches in it.
 */
public final class BackfillBenchmark {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    private BackfillBenchmark() {}

    /** One measured run. */
    record Measurement(String mode, long readings, double seconds, double cpuSeconds, long peakHeap, long peakHeapAfterGc,
                       long peakRss, long points, long issues, long deadLetters) {}

    public static void main(String[] args) throws Exception {
        long readings;
        int users;
        int parallelism;
        boolean postgres;
        boolean gzip;
        List<String> modes;
        Path dir;
        boolean keep;
        MemorySize managedMemory;
        String managedMemoryFlag;
        String stateBackend;
        try {
            Settings s = Settings.fromMain(args);
            readings = s.integer("readings", 10_000_000, 1_000, Integer.MAX_VALUE);
            users = s.integer("users", 1000, 1, 1_000_000);
            parallelism = s.integer("parallelism", 2, 1, 256);
            String sinks = s.string("sinks", "discard");
            if (!sinks.equals("discard") && !sinks.equals("postgres")) {
                throw new InvalidSettingException("invalid --sinks '" + sinks + "': expected discard or postgres");
            }
            postgres = sinks.equals("postgres");
            gzip = s.bool("gzip", false);
            modes = List.of(s.string("modes", "backfill,streaming").split(","));
            for (String m : modes) {
                if (!m.equals("backfill") && !m.equals("streaming")) {
                    throw new InvalidSettingException("invalid --modes '" + String.join(",", modes) + "': expected backfill and/or streaming");
                }
            }
            String d = s.string("dir", null);
            dir = d == null ? Files.createTempDirectory("vitasense-bench-") : Files.createDirectories(Path.of(d));
            keep = s.bool("keep", d != null);
            // Only the streaming run keeps state in a backend; batch sorts and keys in managed memory.
            stateBackend = CheckpointSettings.stateBackend(s);
            String managed = s.string("managed-memory", "1g");
            managedMemoryFlag = managed;
            try {
                managedMemory = MemorySize.parse(managed);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("invalid --managed-memory '" + managed + "': expected a size such as 512m or 1g");
            }
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }

        try {
            say(String.format("generating %,d readings of %,d users into %s ...", readings, users, dir));
            long t0 = System.nanoTime();
            GeneratedReadings.Written input = GeneratedReadings.write(dir.resolve("input"), readings, users, parallelism,
                    START, 42, gzip);
            say(String.format("generated %,d readings (%.1f days) in %d files, %,d MB, in %.0f s", input.readings(),
                    input.minutes() / 1440.0, input.files().size(), input.bytes() / 1_000_000,
                    (System.nanoTime() - t0) / 1e9));

            List<Measurement> results = new ArrayList<>();
            try (EmbeddedPostgresServer pg = postgres ? EmbeddedPostgresServer.start() : null) {
                for (String mode : modes) {
                    JdbcSettings jdbc = null;
                    if (pg != null) {
                        pg.createDatabase("bench_" + mode);
                        String url = pg.jdbcUrl("bench_" + mode);
                        SchemaMigration.migrate(url, pg.user(), pg.password());
                        jdbc = new JdbcSettings(url, pg.user(), pg.password(), 500, Duration.ofMillis(500), 5);
                    }
                    results.add(run(mode, dir, input, parallelism, jdbc, managedMemory, stateBackend));
                }
            }
            System.out.println();
            System.out.println(String.format("bench-backfill: %,d readings of %,d users (%.1f days), %d files of %,d MB%s,"
                            + " parallelism %d, sinks %s, managed memory %s, streaming state backend %s, %d cores", input.readings(), input.users(),
                    input.minutes() / 1440.0, input.files().size(), input.bytes() / 1_000_000, gzip ? " (gzip)" : "",
                    parallelism, postgres ? "postgres" : "discard", managedMemoryFlag, stateBackend,
                    Runtime.getRuntime().availableProcessors()));
            System.out.println(table(results));
            if (results.size() == 2) {
                Measurement b = results.get(0);
                Measurement st = results.get(1);
                boolean same = b.points() == st.points() && b.issues() == st.issues() && b.deadLetters() == st.deadLetters();
                System.out.println(String.format("backfill/streaming: %.2fx readings/s, %.2fx readings per CPU second; same output counts: %s",
                        (b.readings() / b.seconds()) / (st.readings() / st.seconds()),
                        (b.readings() / b.cpuSeconds()) / (st.readings() / st.cpuSeconds()), same ? "yes" : "NO"));
            }
        } finally {
            if (!keep) deleteRecursively(dir);
        }
        System.exit(0);
    }

    private static Measurement run(String mode, Path dir, GeneratedReadings.Written input, int parallelism, JdbcSettings jdbc,
                                   MemorySize managedMemory, String stateBackend) throws Exception {
        boolean batch = mode.equals("backfill");
        Configuration conf = DevicePipeline.requiredConfiguration();
        // One budget for both modes: batch sorts in it, RocksDB caches in it. The local default
        // (128 MB) starves RocksDB once the state outgrows it, which no production cluster does.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        if (!batch) {
            // The streaming job's own state backend and checkpointing.
            Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
            conf.addAll(new CheckpointSettings(Duration.ofSeconds(30), checkpoints.toUri().toString(), stateBackend).toConfiguration());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        PipelineSinks sinks = jdbc != null ? PipelineSinks.tablesOnly(jdbc) : PipelineSinks.discardingAll();
        BackfillJob.build(env, BackfillJob.fileSource(dir.resolve("input").toString()), sinks, PipelineConfig.defaults(),
                Duration.ofSeconds(30));

        say(mode + ": running ...");
        System.gc();
        MemorySampler memory = MemorySampler.start();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("bench-" + mode);
        JobExecutionResult result;
        try (ProgressReporter progress = ProgressReporter.start(job, new InputSize(input.bytes(), true, input.files().size()),
                Duration.ofSeconds(15), line -> say(mode + ": " + line))) {
            result = job.getJobExecutionResult().get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        memory.stop();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        Measurement m = new Measurement(mode, BackfillCounters.get(acc, BackfillCounters.RECORDS_READ), seconds, cpuSeconds,
                memory.peakHeap.get(), memory.peakHeapAfterGc.get(), memory.peakRss.get(),
                BackfillCounters.get(acc, BackfillCounters.POINTS_WRITTEN), BackfillCounters.get(acc, BackfillCounters.QUALITY_ISSUES),
                BackfillCounters.get(acc, BackfillCounters.DEAD_LETTERS));
        // The row as soon as it is measured: a long streaming run stopped early leaves this one.
        say(mode + " done:\n" + table(List.of(m)));
        return m;
    }

    static String table(List<Measurement> results) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s %12s %9s %12s %15s %10s %16s %10s %12s %10s%n",
                "mode", "readings", "seconds", "readings/s", "readings/cpu-s", "peak heap", "peak heap (GC)", "peak RSS",
                "points", "issues"));
        for (Measurement m : results) {
            b.append(String.format(Locale.ROOT, "%-10s %12d %9.1f %12.0f %15.0f %8d MB %13d MB %7d MB %12d %10d%n", m.mode(),
                    m.readings(), m.seconds(), m.readings() / m.seconds(), m.readings() / m.cpuSeconds(),
                    m.peakHeap() >> 20, m.peakHeapAfterGc() >> 20, m.peakRss() >> 20, m.points(), m.issues()));
        }
        return b.toString().stripTrailing();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Samples heap and resident memory every 100 ms. Heap used depends on when the collector runs;
     * heap after GC (what the last collection left of each pool) is closer to what the run needs.
     */
    private static final class MemorySampler {
        final AtomicLong peakHeap = new AtomicLong();
        final AtomicLong peakHeapAfterGc = new AtomicLong();
        final AtomicLong peakRss = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-memory");
            t.setDaemon(true);
            return t;
        });

        static MemorySampler start() {
            MemorySampler s = new MemorySampler();
            s.timer.scheduleAtFixedRate(s::sample, 0, 100, TimeUnit.MILLISECONDS);
            return s;
        }

        private void sample() {
            long used = 0;
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() != MemoryType.HEAP) continue;
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) afterGc += pool.getCollectionUsage().getUsed();
            }
            peakHeap.accumulateAndGet(used, Math::max);
            peakHeapAfterGc.accumulateAndGet(afterGc, Math::max);
            peakRss.accumulateAndGet(rss(), Math::max);
        }

        /** Resident set size from /proc (Linux); 0 where there is none. */
        private static long rss() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
                return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(0L);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            sample();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }
}
