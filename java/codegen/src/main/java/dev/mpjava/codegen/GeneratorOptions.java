package dev.mpjava.codegen;

import java.nio.file.Path;
import java.util.List;

/**
 * What the generator reads and where it writes.
 *
 * @param outputDirectory the source root generated files go under (package directories are made)
 * @param resourceDirectory where copies of the schema files go, so generated code loads
 *     them from the class path: each at its path below {@code sourceRoot}, or below the
 *     import-path directory it was found in (the bundled {@code /capnp/c++.capnp} and
 *     {@code /mp/proxy.capnp} are never copied: the library carries them)
 * @param javaPackage the Java package of the generated types
 * @param sourceRoot the directory the given files' class-path location is relative to;
 *     null for each file's own directory
 * @param importPath directories searched for absolute imports, before the bundled schemas
 */
public record GeneratorOptions(Path outputDirectory, Path resourceDirectory, String javaPackage, Path sourceRoot,
        List<Path> importPath) {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param outputDirectory see the record
     * @param resourceDirectory see the record
     * @param javaPackage see the record
     * @param sourceRoot see the record
     * @param importPath see the record
     */
    public GeneratorOptions {
        importPath = List.copyOf(importPath);
    }
}
