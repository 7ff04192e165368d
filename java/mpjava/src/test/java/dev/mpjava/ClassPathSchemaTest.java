package dev.mpjava;

import static dev.mpjava.TestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClassPathSchemaTest {
    static final ClassLoader LOADER = ClassPathSchemaTest.class.getClassLoader();

    static long privateCopies() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("mpjava-classpath-schemas")).count();
        }
    }

    @Test
    void resourceWithAbsoluteRelativeAndBundledImportsLoadsAndLeavesNoCopyBehind() throws IOException {
        long before = privateCopies();
        try (Schema schema = Schema.loadResources(LOADER, "/dev/mpjava/cp/main.capnp")) {
            // A file no declaration uses is read when a name first reaches it, after the load.
            assertEquals(List.of("ping"), schema.interfaceType("Later.Later").methods());
            assertEquals(List.of("put"), schema.interfaceType("Store").methods());
            assertEquals("Item", schema.declarations().find("Item").orElseThrow().name());
            assertEquals("Count", schema.declarations().find("Near.Count").map(d -> d.name()).orElse(
                    schema.declarations().find("Count").orElseThrow().name()));
        }
        assertEquals(before, privateCopies(), "the private copies are deleted when the schema closes");
    }

    @Test
    void streamResolvesItsImportsOnTheClassPathRelativeToItsName() {
        String text = "@0xe1a2b3c4d5e6f70c;\nusing Near = import \"sibling.capnp\";\n"
                + "interface Counter { get @0 () -> (count :Near.Count); }\n";
        InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        try (Schema schema = Schema.load(in, "dev/mpjava/cp/counter.capnp", LOADER)) {
            assertEquals(List.of("get"), schema.interfaceType("Counter").methods());
        }
    }

    @Test
    void parseErrorNamesTheClassPathFileLineAndColumn() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> Schema.loadResources(LOADER, "dev/mpjava/cp/broken.capnp"));
        assertContains(e.getMessage(), "classpath:/dev/mpjava/cp/broken.capnp:4:13");
        assertContains(e.getMessage(), "NoSuchType");
    }

    @Test
    void missingResourceFailsNamingIt() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> Schema.loadResources(LOADER, "dev/mpjava/cp/absent.capnp"));
        assertContains(e.getMessage(), "not found on the class path: dev/mpjava/cp/absent.capnp");
        assertThrows(SchemaException.class, () -> Schema.loadResources(LOADER, "../outside.capnp"));
    }

    @Test
    void importsInCommentsAndStringsAreIgnoredButEmbedsAreFollowed() {
        assertEquals(List.of("a.capnp", "b.bin"), ClassPathSchemas.references(
                "using A = import \"a.capnp\"; # import \"c.capnp\"\nconst x :Data = embed \"b.bin\";\n"
                        + "const s :Text = \"# not a comment\";"));
    }
}
