package com.vitasense.jobs.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories of the local servers and the demo, created and removed as a whole. */
final class LocalFiles {
    private LocalFiles() {}

    /** A new temporary directory; {@code what} names its owner in the error. */
    static Path createTempDirectory(String prefix, String what) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for " + what, e);
        }
    }

    /** Deletes {@code dir} and everything below it; nothing happens if it is gone already. */
    static void deleteRecursively(Path dir, String what) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + what + " directory " + dir, e);
        }
    }
}
