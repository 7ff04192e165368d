package dev.mpjava.examples;

import dev.mpjava.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the examples' schemas, which ship in the jar: Schema.load reads files, so they are
 * copied to a new temporary directory first, deleted when the JVM exits.
 */
public final class ClasspathSchemas {
    private ClasspathSchemas() {}

    /**
     * Loads {@code files}, class-path resources in the directory {@code resourceDir}
     * (absolute, e.g. {@code /dev/mpjava/examples/capnp}); they may import each other.
     *
     * @param resourceDir the resources' directory on the class path
     * @param files the schema files in it, all loaded
     * @return the loaded schema
     */
    public static Schema load(String resourceDir, List<String> files) {
        Path dir = extract(resourceDir, files);
        return Schema.load(files.stream().map(dir::resolve).toList(), List.of());
    }

    private static Path extract(String resourceDir, List<String> files) {
        try {
            Path dir = Files.createTempDirectory("mpjava-example-schemas");
            dir.toFile().deleteOnExit();  // registered first, so deleted last (once empty)
            for (String file : files) {
                Path target = dir.resolve(file);
                try (InputStream in = ClasspathSchemas.class.getResourceAsStream(resourceDir + "/" + file)) {
                    if (in == null) throw new IllegalStateException("example schema missing from the class path: " + file);
                    Files.copy(in, target);
                }
                target.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the example's schemas to a temporary directory", e);
        }
    }
}
