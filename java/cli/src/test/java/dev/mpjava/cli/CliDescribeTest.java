package dev.mpjava.cli;

import static dev.mpjava.cli.TestServers.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mpjava.cli.TestServers.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpjava describe} on the test schemas: text, JSON, one interface, and its errors. */
class CliDescribeTest {
    @Test
    void describeCalculatorListsEveryMethodWithParamsAndResults() {
        Run run = cli("schema", TestServers.CALCULATOR);

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertTrue(run.out().startsWith("interface CalcInit @0xe4418e7a726c699e\n"), run.out());
        assertTrue(run.out().contains("  construct (threadMap :Proxy.ThreadMap*) -> (threadMap :Proxy.ThreadMap*)\n"), run.out());
        assertTrue(run.out().contains("  add (a :Int32, b :Int32) -> (result :Int32)\n"), run.out());
        assertTrue(run.out().contains("  echo (text :Text) -> (result :Text)\n"), run.out());
        assertTrue(run.out().contains("  fail (message :Text) -> ()\n"), run.out());
        assertTrue(run.out().contains("  slow (millis :UInt32) -> (result :UInt32)\n"), run.out());
    }

    @Test
    void describeJsonGivesMethodsInIndexOrderWithTypesAndStructs() {
        Run run = cli("schema", TestServers.CALLBACKS, "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonObject all = JsonParser.parseString(run.out()).getAsJsonObject();
        List<String> interfaces = new ArrayList<>();
        all.getAsJsonArray("interfaces").forEach(i -> interfaces.add(i.getAsJsonObject().get("name").getAsString()));
        assertEquals(List.of("Printer", "Calculator", "Callback", "Hub"), interfaces);

        JsonObject hub = all.getAsJsonArray("interfaces").get(3).getAsJsonObject();
        JsonArray methods = hub.getAsJsonArray("methods");
        assertEquals("construct", methods.get(0).getAsJsonObject().get("name").getAsString());
        JsonObject raise = methods.get(4).getAsJsonObject();
        assertEquals("raise", raise.get("name").getAsString());
        assertEquals(4, raise.get("ordinal").getAsInt());
        JsonObject context = raise.getAsJsonArray("params").get(0).getAsJsonObject();
        assertEquals("Proxy.Context", context.get("type").getAsString());
        assertTrue(context.get("filledByMpjava").getAsBoolean());
        assertEquals("Failure", raise.getAsJsonArray("results").get(0).getAsJsonObject().get("type").getAsString());

        JsonObject failure = all.getAsJsonArray("types").get(0).getAsJsonObject();
        assertEquals("struct", failure.get("kind").getAsString());
        assertEquals("Failure", failure.get("name").getAsString());
        assertEquals(2, failure.getAsJsonArray("fields").size());
    }

    @Test
    void describeOneInterfaceShowsOnlyIt() {
        Run run = cli("schema", TestServers.ECHO, "Echo");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("interface Echo @0xe6bfb179098d5570\n"
                + "  destroy (context :Proxy.Context*) -> ()\n"
                + "  echo (context :Proxy.Context*, echo :Text) -> (result :Text)\n", run.out());
    }

    @Test
    void describeAnUnknownInterfaceFailsWithUsageErrorNamingTheFilesInterfaces() {
        Run run = cli("schema", TestServers.ECHO, "Nope");

        assertEquals(Main.USAGE, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("no interface 'Nope' in "), run.err());
        assertTrue(run.err().contains("(interfaces: Init, Echo)"), run.err());
    }

    @Test
    void describeABrokenSchemaFailsWithUsageErrorAndTheParsersLine() {
        Run run = cli("schema", TestServers.SCHEMAS.resolve("bad_syntax.capnp"));

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("mpjava schema: schema error: "), run.err());
        assertTrue(run.err().contains("bad_syntax.capnp:9"), run.err());
    }

    @Test
    void importDirectoriesResolveAbsoluteImports(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("shared.capnp"), "@0xe1a6b2c3d4e5f601;\nstruct Thing { id @0 :UInt64; }\n");
        Path main = dir.resolve("main.capnp");
        Files.writeString(main, "@0xe1a6b2c3d4e5f602;\nusing S = import \"/shared.capnp\";\n"
                + "interface Store { get @0 (id :UInt64) -> (thing :S.Thing); }\n");

        Run with = cli("schema", main, "-I", lib);
        Run without = cli("schema", main);

        assertEquals(0, with.exitCode(), with.err());
        // A type of another file is named with that file's conventional alias.
        assertEquals("interface Store @0x8bf727c55c0653c9\n  get (id :UInt64) -> (thing :Shared.Thing)\n", with.out());
        assertEquals(Main.USAGE, without.exitCode());
        assertTrue(without.err().contains("schema error: "), without.err());
    }

    @Test
    void describeAMissingFileFailsWithUsageError() {
        Run run = cli("schema", TestServers.SCHEMAS.resolve("missing.capnp"));

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("no schema file "), run.err());
    }

    @Test
    void describeWithoutArgumentsPrintsUsageAndExitsTwo() {
        Run run = cli("schema");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing required parameter: 'SCHEMA'"), run.err());
        assertTrue(run.err().contains("Usage: mpjava schema"), run.err());
    }

    @Test
    void schemaListsIdsInheritedMethodsStructsEnumsAndConsts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.capnp");
        Files.writeString(file, "@0xe1a6b2c3d4e5f603;\nconst answer :UInt32 = 42;\nenum Color { red @0; blue @1; }\n"
                + "struct P { x @0 :Int32 = 1; inner :group { y @1 :Text; } }\ninterface A { a @0 () -> (); }\n"
                + "interface B extends(A) { b @0 (p :P) -> (c :Color); }\n");

        Run run = cli("schema", file);

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("interface A @0xfa2cada5fd0ee17f\n  a () -> ()\n"
                + "interface B @0xfb629e1df1131f5d extends(A)\n  b (p :P) -> (c :Color)\n  a () -> ()\n"
                + "const answer :UInt32 = 42\n"
                + "enum Color @0xdf44b0422560705b\n  red, blue\n"
                + "struct P @0xc619834f8858c747\n  (x :Int32, inner :group)\n", run.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("schema", "call", "ping", "serve-demo")) {
            Run run = cli(command, "--help");
            assertEquals(0, run.exitCode(), command);
            assertTrue(run.out().startsWith("Usage: mpjava " + command), run.out());
        }
        Run top = cli("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("Exit codes:"), top.out());
        assertFalse(top.out().isEmpty());
    }
}
