package dev.mpjava.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema selection: Maven's Ant-style includes and excludes over a real directory tree. */
class SchemaFilesTest {
    @Test
    void defaultIncludeTakesCapnpFilesAtEveryDepthInPathOrder(@TempDir Path root) throws Exception {
        Path top = touch(root.resolve("b.capnp"));
        Path nested = touch(root.resolve("a/deep/c.capnp"));
        touch(root.resolve("a/notes.txt"));

        assertEquals(List.of(nested, top), SchemaFiles.select(root, List.of("**/*.capnp"), List.of()));
    }

    @Test
    void excludesRemoveWhatIncludesTook(@TempDir Path root) throws Exception {
        Path kept = touch(root.resolve("mining.capnp"));
        touch(root.resolve("test/foo.capnp"));
        touch(root.resolve("old.capnp"));

        assertEquals(List.of(kept), SchemaFiles.select(root, List.of("**/*.capnp"), List.of("test/", "old.*")));
    }

    @Test
    void patternsFollowAntRules() {
        assertTrue(SchemaFiles.toRegex("**/*.capnp").matcher("x.capnp").matches());
        assertTrue(SchemaFiles.toRegex("**/*.capnp").matcher("a/b/x.capnp").matches());
        assertFalse(SchemaFiles.toRegex("*.capnp").matcher("a/x.capnp").matches());
        assertTrue(SchemaFiles.toRegex("a/**").matcher("a/b/c").matches());
        assertTrue(SchemaFiles.toRegex("?.capnp").matcher("x.capnp").matches());
        assertFalse(SchemaFiles.toRegex("?.capnp").matcher("xy.capnp").matches());
        assertFalse(SchemaFiles.toRegex("a.capnp").matcher("a_capnp").matches(), "a dot is literal");
    }

    private static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "");
    }
}
