package dev.mpjava.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the last generation of one goal execution was made from and what it wrote, so the
 * next build can skip it while nothing changed. The stamp file holds the configuration
 * (one line per setting and input file), a {@code --} line, then the files written. A
 * generation is up to date when the configuration is the same, every file it wrote is still
 * there, and no input changed after the stamp was written.
 */
final class GenerationStamp {
    private static final String SEPARATOR = "--";

    private final Path file;

    /** The stamp kept at {@code file}. */
    GenerationStamp(Path file) {
        this.file = file;
    }

    /**
     * True when the stamp records this configuration, all its outputs exist and no input is
     * newer than it. Any doubt (no stamp, unreadable) is false: generating again is always right.
     */
    boolean upToDate(List<String> configuration, List<Path> inputs) {
        try {
            if (!Files.isRegularFile(file)) return false;
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int split = lines.indexOf(SEPARATOR);
            if (split < 0 || !lines.subList(0, split).equals(configuration)) return false;
            for (String output : lines.subList(split + 1, lines.size())) {
                if (!Files.isRegularFile(Path.of(output))) return false;
            }
            FileTime written = Files.getLastModifiedTime(file);
            for (Path input : inputs) {
                if (Files.getLastModifiedTime(input).compareTo(written) >= 0) return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The files the last generation wrote (none when there is no readable stamp). */
    List<Path> previousOutputs() {
        try {
            if (!Files.isRegularFile(file)) return List.of();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int split = lines.indexOf(SEPARATOR);
            List<Path> outputs = new ArrayList<>();
            if (split >= 0) for (String output : lines.subList(split + 1, lines.size())) outputs.add(Path.of(output));
            return outputs;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Records a finished generation; written after its outputs, so they are older than it. */
    void write(List<String> configuration, List<Path> outputs) throws IOException {
        List<String> lines = new ArrayList<>(configuration);
        lines.add(SEPARATOR);
        for (Path output : outputs) lines.add(output.toAbsolutePath().toString());
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Forgets the last generation (before generating again, so a failure leaves no stamp). */
    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
