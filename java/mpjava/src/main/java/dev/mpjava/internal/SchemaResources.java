package dev.mpjava.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The schemas the jar ships ({@code /mp/proxy.capnp}, {@code /capnp/c++.capnp}), copied
 * once per JVM to a private directory that every schema load gets on its import path,
 * so application schemas import them unmodified.
 */
public final class SchemaResources {
    private static final String ROOT = "/dev/mpjava/schemas/";
    private static final String[] FILES = {"mp/proxy.capnp", "capnp/c++.capnp"};
    private static volatile Path directory;

    private SchemaResources() {}

    public static Path directory() {
        Path dir = directory;
        if (dir != null) return dir;
        synchronized (SchemaResources.class) {
            if (directory == null) directory = extract();
            return directory;
        }
    }

    private static Path extract() {
        return extract(ROOT, FILES);
    }

    /** Copies the resources {@code root + file} to a new private directory, keeping their relative paths. */
    private static Path extract(String root, String... files) {
        try {
            Path dir = Files.createTempDirectory("mpjava-schemas");
            // deleteOnExit deletes in reverse order of registration: each directory is
            // registered before what it holds, so it is empty by the time its turn comes.
            dir.toFile().deleteOnExit();
            for (String file : files) {
                Path target = dir.resolve(file);
                Path sub = dir;
                for (Path name : dir.relativize(target.getParent())) {
                    sub = sub.resolve(name);
                    Files.createDirectories(sub);
                    sub.toFile().deleteOnExit();
                }
                target.toFile().deleteOnExit();
                try (InputStream in = SchemaResources.class.getResourceAsStream(root + file)) {
                    if (in == null) throw new IllegalStateException("schema resource missing from the jar: " + root + file);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled schemas", e);
        }
    }
}
