package dev.mpjava.cli;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import dev.mpjava.SchemaException;
import dev.mpjava.cli.Main.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A .capnp file given on the command line: checked and loaded by the library's
 * {@link Schema} (Cap'n Proto's parser), and read as text by {@link CapnpSource} for
 * what the library does not expose (the list of interfaces, field types).
 */
final class SchemaFile implements AutoCloseable {
    private final Path path;
    private final Schema schema;
    private final CapnpSource source;

    private SchemaFile(Path path, Schema schema, CapnpSource source) {
        this.path = path;
        this.schema = schema;
        this.source = source;
    }

    /** Loads {@code file}; usage errors for a missing file or import directory, SchemaException if it does not parse. */
    static SchemaFile load(Path file, List<Path> importPath) {
        if (!Files.isRegularFile(file)) throw new CliException(Main.USAGE, "no schema file " + file);
        for (Path dir : importPath) {
            if (!Files.isDirectory(dir)) throw new CliException(Main.USAGE, "no import directory " + dir);
        }
        Schema schema = Schema.load(List.of(file), importPath);
        try {
            return new SchemaFile(file, schema, CapnpSource.read(file));
        } catch (IOException | RuntimeException e) {
            schema.close();
            throw new CliException(Main.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    CapnpSource source() {
        return source;
    }

    /** The interface {@code name} of this file; a usage error naming the file's interfaces if there is none. */
    InterfaceType interfaceType(String name) {
        try {
            return schema.interfaceType(name);
        } catch (SchemaException e) {
            throw new CliException(Main.USAGE, "no interface '" + name + "' in " + path + " (interfaces: "
                    + String.join(", ", source.interfaces().keySet()) + ")", e);
        }
    }

    @Override
    public void close() {
        schema.close();
    }
}
