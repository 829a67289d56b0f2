package com.vitasense.jobs.apple;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens an Apple Health export as the Health app hands it out: {@code export.zip} (the
 * {@code apple_health_export/export.xml} inside is streamed, not unpacked), a gzip-compressed
 * {@code export.xml.gz}, or a plain {@code export.xml}.
 */
public final class AppleExportFiles {
    private AppleExportFiles() {}

    /** A stream of the export's XML; the caller closes it. */
    public static InputStream open(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            if (name.endsWith(".gz")) return new GZIPInputStream(raw, 1 << 16);
            if (name.endsWith(".zip")) return exportEntry(new ZipInputStream(raw), file);
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The export's XML from a stream in any of the three forms, told apart by their first bytes:
     * for readers that get a stream without a file name (the backfill's file source).
     *
     * @param what names the stream in errors
     */
    public static InputStream open(InputStream in, String what) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(4);
        byte[] magic = b.readNBytes(4);
        b.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return exportEntry(new ZipInputStream(b), what);
        }
        if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) return new GZIPInputStream(b, 1 << 16);
        return b;
    }

    private static InputStream exportEntry(ZipInputStream zip, Object file) throws IOException {
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            // export_cda.xml (clinical documents) sits beside export.xml and is a different format.
            String entry = e.getName();
            if (!e.isDirectory() && (entry.equals("export.xml") || entry.endsWith("/export.xml"))) return zip;
        }
        zip.close();
        throw new FileNotFoundException("no export.xml inside " + file);
    }
}
