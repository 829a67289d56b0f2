package com.vitasense.jobs.apple;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code ./vitasense bench-apple-export}: how fast the StAX export reader turns an
 * {@code export.xml} into envelopes, and in how little memory. Generates a synthetic export of
 * {@code --size-mb} into a temporary directory (deleted afterwards) unless {@code --file} is given,
 * then makes {@code --runs} full passes, each reading every element and serializing every envelope
 * to its JSON line (what {@code import-apple} writes), and reports the median throughput and the
 * peak heap. Run it with a small heap (the launcher uses {@code -Xmx128m}): finishing a file many
 * times the heap's size is the demonstration that memory stays bounded.
 *
 * <p>Peak heap is the sum of the heap pools' peak usage ({@link MemoryPoolMXBean#getPeakUsage()},
 * reset after a GC before each run). Pools peak at different moments, so the sum is an upper
 * bound of the real peak; it includes garbage not yet collected.
 */
public final class AppleExportBenchmark {
    private AppleExportBenchmark() {}

    /** One full pass over the file. */
    public record Run(long envelopes, long jsonBytes, double seconds, long peakHeapBytes) {
        public double envelopesPerSecond() {
            return envelopes / seconds;
        }
    }

    public static void main(String[] args) throws IOException {
        Path file;
        int sizeMb;
        int runs;
        long seed;
        try {
            Settings s = Settings.fromMain(args);
            file = s.isSet("file") ? s.existingFile("file") : null;
            sizeMb = s.integer("size-mb", 256, 1, 100_000);
            runs = s.integer("runs", 3, 3, 100);
            seed = s.integer("seed", 1, 0, Integer.MAX_VALUE);
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (file != null) {
            report(file, runs);
            return;
        }
        Path dir = Files.createTempDirectory("vitasense-apple-bench");
        Path generated = dir.resolve("export.xml");
        try {
            long started = System.nanoTime();
            AppleExportGenerator.Generated g = AppleExportGenerator.write(generated, sizeMb * 1024L * 1024L, seed);
            say(String.format(Locale.ROOT, "generated %s: %.1f MB, %d records, %d workouts in %.1fs", generated,
                    g.bytes() / 1048576.0, g.records(), g.workouts(), (System.nanoTime() - started) / 1e9));
            report(generated, runs);
        } finally {
            Files.deleteIfExists(generated);
            Files.deleteIfExists(dir);
        }
    }

    private static void report(Path file, int runs) throws IOException {
        long size = Files.size(file);
        List<Run> results = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Run r = run(file);
            results.add(r);
            say(String.format(Locale.ROOT, "run %d: %,d envelopes in %.2fs = %,.0f records/s, %.1f MB/s of XML, peak heap %.1f MB",
                    i, r.envelopes(), r.seconds(), r.envelopesPerSecond(), size / 1048576.0 / r.seconds(),
                    r.peakHeapBytes() / 1048576.0));
        }
        double median = median(results.stream().mapToDouble(Run::envelopesPerSecond).toArray());
        double medianSeconds = median(results.stream().mapToDouble(Run::seconds).toArray());
        long peak = results.stream().mapToLong(Run::peakHeapBytes).max().orElse(0);
        say(String.format(Locale.ROOT, "result: median %,.0f records/s (%.1f MB/s) over %d full passes of %.1f MB; "
                        + "peak heap %.1f MB with %s (max heap %.0f MB); %s",
                median, size / 1048576.0 / medianSeconds, runs, size / 1048576.0, peak / 1048576.0, xmx(),
                Runtime.getRuntime().maxMemory() / 1048576.0, machine()));
    }

    /** One full pass: every envelope read and serialized; peak heap measured from a clean start. */
    public static Run run(Path file) throws IOException {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).collect(Collectors.toList());
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long envelopes = 0;
        long bytes = 0;
        long started = System.nanoTime();
        try (InputStream in = AppleExportFiles.open(file);
             AppleHealthExportReader reader = AppleHealthExportReader.open(in, "u-bench", null)) {
            while (reader.hasNext()) {
                bytes += reader.next().json().length();
                envelopes++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Run(envelopes, bytes, seconds, peak);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String xmx() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).orElse("no -Xmx (JVM default)");
    }

    private static String machine() {
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("/"));
        return String.format(Locale.ROOT, "Java %s, %d CPUs, GC %s", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), gcs);
    }

    private static void say(String line) {
        System.out.println("[bench-apple-export] " + line);
        System.out.flush();
    }
}
