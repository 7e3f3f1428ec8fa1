package io.vantage.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Bytes under a directory, for the store-size gauge (walked at each scrape: a few hundred files). */
final class DiskUsage {
    private DiskUsage() {
    }

    static double bytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(DiskUsage::size).sum();
        } catch (IOException | UncheckedIOException e) {
            // RocksDB replaced files while we walked: the next scrape counts again.
            return Double.NaN;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0; // compacted away meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
