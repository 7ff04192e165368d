package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming and mapping rules on declarations built by hand (no schema loader involved). */
class GeneratorHandBuiltTest {
    @TempDir
    Path out;

    @Test
    void oneFilePerTopLevelTypeWithLibmultiprocessConventionsApplied() throws Exception {
        Generator generator = new Generator(new GeneratorOptions(out, null, "gen.sample", null, List.of()));
        List<Path> written = generator.generate(HandBuilt.sample(), List.of());
        assertEquals(List.of("Color.java", "Shape.java", "Failure.java", "Callback.java", "Hub.java", "CapnpSchema.java"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        String hub = Files.readString(out.resolve("gen/sample/Hub.java"));
        assertTrue(!hub.contains("construct") && !hub.contains("threadMap"), "ThreadMap exchange is the library's");
        assertTrue(hub.contains("int callback(Callback cb, int arg) throws Exception;"), "Context is hidden");
        assertTrue(hub.contains("Optional<Shape> getTip() throws Exception;"), "hasResult/result is an Optional");
        assertTrue(hub.contains("void close_() throws Exception;"), "close is the client's own");
        assertTrue(hub.contains("catch (Failure.Raised e)"), "$Proxy.exception is a generated exception");
        assertTrue(hub.contains("record SlowResults(long start, long end)"), "two results are a record");
        assertTrue(Files.readString(out.resolve("gen/sample/Callback.java")).contains("@FunctionalInterface"));
        String shape = Files.readString(out.resolve("gen/sample/Shape.java"));
        assertTrue(shape.contains("String class_"), "keywords get an underscore");
        assertTrue(shape.contains("Optional<Long> big"), "a hasX/x pair in a struct is an Optional too");
        assertTrue(shape.contains("Color.fromWire(fields.get(\"color\"), Color.DARK_GREEN)"), "enum defaults apply");
    }

    @Test
    void enumConstantsAreUpperSnakeCase() {
        assertEquals("DARK_GREEN", Names.constant("darkGreen"));
        assertEquals("HTTP2_THING", Names.constant("http2Thing"));
        assertEquals("ABC", Names.constant("ABC"));
        assertEquals("class_", Names.member("class", java.util.Set.of()));
        assertEquals("close__", Names.member("close", java.util.Set.of("close", "close_")));
    }
}
