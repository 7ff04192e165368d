package dev.mpjava.codegen;

import dev.mpjava.schema.SchemaFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a schema file is on disk and where its copy goes on the class path: below the
 * source root (a given file's own directory by default), or below the import-path
 * directory an absolute import was found in, so that the run-time loader resolves the
 * same imports from the copies.
 */
final class SchemaFiles {
    /** A file's disk location and its class-path resource name. */
    record Located(Path disk, String resource) {}

    private final List<Path> given;
    private final Path sourceRoot;
    private final List<Path> importPath;

    SchemaFiles(List<Path> given, Path sourceRoot, List<Path> importPath) {
        this.given = given.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.sourceRoot = sourceRoot == null ? null : sourceRoot.toAbsolutePath().normalize();
        this.importPath = importPath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** A file's path is relative to the import directory it was found in, else absolute without its leading '/'. */
    Located locate(SchemaFile file) {
        String path = file.path();
        for (Path dir : importPath) {
            Path candidate = dir.resolve(path).normalize();
            if (Files.isRegularFile(candidate)) return new Located(candidate, slashes(dir.relativize(candidate)));
        }
        Path disk = Path.of(path.startsWith("/") ? path : "/" + path).normalize();
        if (!Files.isRegularFile(disk)) throw new IllegalStateException("cannot find schema file " + path + " on disk");
        Path root = sourceRoot != null ? sourceRoot : rootFor(disk);
        if (!disk.startsWith(root)) {
            throw new IllegalStateException(disk + " is not below the source root " + root);
        }
        return new Located(disk, slashes(root.relativize(disk)));
    }

    /** Without a source root: a given file's own directory, or for an imported one the given file's it sits beside. */
    private Path rootFor(Path disk) {
        for (Path g : given) if (g.equals(disk)) return g.getParent();
        for (Path g : given) if (disk.startsWith(g.getParent())) return g.getParent();
        return disk.getParent();
    }

    private static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
