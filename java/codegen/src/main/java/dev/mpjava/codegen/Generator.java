package dev.mpjava.codegen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes the typed Java API of .capnp files. */
public final class Generator {
    private final GeneratorOptions options;

    /**
     * A generator with these options.
     *
     * @param options output directory, package, import path
     */
    public Generator(GeneratorOptions options) {
        this.options = options;
    }

    /**
     * Generates the Java source of these files (imported files' types are generated too
     * when the given files use them).
     *
     * @param schemaFiles .capnp files
     * @return the files written
     * @throws IOException if writing fails
     * @throws dev.mpjava.SchemaException if a schema does not parse
     */
    public List<Path> generate(List<Path> schemaFiles) throws IOException {
        throw new UnsupportedOperationException("not written yet");
    }
}
