package dev.mpjava.codegen;

import dev.mpjava.schema.SchemaFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    Located locate(SchemaFile file) {
        String path = file.path();
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (path.startsWith("/")) {
            for (Path dir : importPath) {
                Path candidate = dir.resolve(relative).normalize();
                if (Files.isRegularFile(candidate) && !given.contains(candidate)) return new Located(candidate, slashes(dir.relativize(candidate)));
            }
        }
        Optional<Path> disk = disk(path);
        if (disk.isEmpty()) throw new IllegalStateException("cannot find schema file " + path + " on disk");
        Path root = sourceRoot != null ? sourceRoot : rootFor(disk.get());
        if (!disk.get().startsWith(root)) {
            throw new IllegalStateException(disk.get() + " is not below the source root " + root);
        }
        return new Located(disk.get(), slashes(root.relativize(disk.get())));
    }

    private Optional<Path> disk(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() && Files.isRegularFile(p)) return Optional.of(p.normalize());
        for (Path g : given) {
            if (g.endsWith(p)) return Optional.of(g);
            Path sibling = g.getParent().resolve(path).normalize();
            if (Files.isRegularFile(sibling)) return Optional.of(sibling);
        }
        return Optional.empty();
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
