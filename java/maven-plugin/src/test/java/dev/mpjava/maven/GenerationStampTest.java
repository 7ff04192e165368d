package dev.mpjava.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stale detection: when a build may skip generating, and every change that makes it generate again. */
class GenerationStampTest {
    private static final List<String> CONFIG = List.of("package p", "schema /x.capnp");

    @Test
    void unchangedInputsAndConfigurationAreUpToDate(@TempDir Path dir) throws Exception {
        Fixture f = new Fixture(dir);

        assertTrue(f.stamp.upToDate(CONFIG, List.of(f.input)));
        assertEquals(List.of(f.output.toAbsolutePath()), f.stamp.previousOutputs());
    }

    @Test
    void anInputNewerThanTheStampIsStale(@TempDir Path dir) throws Exception {
        Fixture f = new Fixture(dir);
        Files.setLastModifiedTime(f.input, FileTime.from(Instant.now().plusSeconds(5)));

        assertFalse(f.stamp.upToDate(CONFIG, List.of(f.input)));
    }

    @Test
    void anotherConfigurationIsStale(@TempDir Path dir) throws Exception {
        Fixture f = new Fixture(dir);

        assertFalse(f.stamp.upToDate(List.of("package q", "schema /x.capnp"), List.of(f.input)));
        assertFalse(f.stamp.upToDate(List.of("package p"), List.of(f.input)));
    }

    @Test
    void aDeletedOutputIsStale(@TempDir Path dir) throws Exception {
        Fixture f = new Fixture(dir);
        Files.delete(f.output);

        assertFalse(f.stamp.upToDate(CONFIG, List.of(f.input)));
    }

    @Test
    void noStampOrADeletedOneIsStale(@TempDir Path dir) throws Exception {
        Fixture f = new Fixture(dir);
        f.stamp.delete();

        assertFalse(f.stamp.upToDate(CONFIG, List.of(f.input)));
        assertEquals(List.of(), f.stamp.previousOutputs());
    }

    /** An input older than its output, and a stamp written after both. */
    private static final class Fixture {
        final Path input;
        final Path output;
        final GenerationStamp stamp;

        Fixture(Path dir) throws Exception {
            input = Files.writeString(dir.resolve("x.capnp"), "@0x1;");
            Files.setLastModifiedTime(input, FileTime.from(Instant.now().minusSeconds(60)));
            output = Files.writeString(dir.resolve("X.java"), "class X {}");
            stamp = new GenerationStamp(dir.resolve("stamps/default.stamp"));
            stamp.write(CONFIG, List.of(output));
        }
    }
}
