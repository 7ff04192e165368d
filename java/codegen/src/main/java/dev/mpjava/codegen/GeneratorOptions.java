package dev.mpjava.codegen;

import java.nio.file.Path;
import java.util.List;

/**
 * What the generator reads and where it writes.
 *
 * @param outputDirectory the source root generated files go under (package directories are made)
 * @param javaPackage the Java package of the generated types
 * @param importPath directories searched for absolute imports, before the bundled
 *     {@code /capnp/c++.capnp} and {@code /mp/proxy.capnp}
 */
public record GeneratorOptions(Path outputDirectory, String javaPackage, List<Path> importPath) {
    /** Immutable components. */
    public GeneratorOptions {
        importPath = List.copyOf(importPath);
    }
}
