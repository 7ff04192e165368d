package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading existing .capnp files at run time, with the bundled /mp/proxy.capnp. */
class SchemaLoadingTest {
    @Test
    void schemasImportingBundledProxyAndCxxSchemasLoad() {
        try (Schema calc = Schema.load(TestSupport.SCHEMAS.resolve("calculator.capnp"));
                Schema echo = Schema.load(TestSupport.SCHEMAS.resolve("echo.capnp"))) {
            assertEquals(List.of("construct", "add", "echo", "fail", "slow"), calc.interfaceType("CalcInit").methods());
            assertEquals(List.of("construct", "makeEcho"), echo.interfaceType("Init").methods());
            assertEquals(List.of("destroy", "echo"), echo.interfaceType("Echo").methods());
        }
    }

    @Test
    void missingFileFailsNamingThePath() {
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.load(Path.of("/nonexistent/foo.capnp")));
        assertTrue(e.getMessage().contains("schema file not found: /nonexistent/foo.capnp"), e.getMessage());
    }

    @Test
    void syntaxErrorFailsNamingFileAndLine() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> Schema.load(TestSupport.SCHEMAS.resolve("bad_syntax.capnp")));
        assertTrue(e.getMessage().contains("bad_syntax.capnp:9:"), e.getMessage());
    }

    @Test
    void duplicateIdAcrossFilesFailsNamingFileAndLine() {
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.load(
                List.of(TestSupport.SCHEMAS.resolve("types.capnp"), TestSupport.SCHEMAS.resolve("duplicate_id.capnp")),
                List.of()));
        assertTrue(e.getMessage().contains("duplicate_id.capnp:1:") && e.getMessage().contains("Duplicate ID"),
                e.getMessage());
    }

    @Test
    void unknownOrWrongKindOfNameFailsClearly() {
        try (Schema types = Schema.load(TestSupport.SCHEMAS.resolve("types.capnp"))) {
            SchemaException unknown = assertThrows(SchemaException.class, () -> types.interfaceType("Nope"));
            assertTrue(unknown.getMessage().contains("no type named 'Nope'"), unknown.getMessage());
            SchemaException struct = assertThrows(SchemaException.class, () -> types.interfaceType("AllTypes"));
            assertTrue(struct.getMessage().contains("'AllTypes' is not an interface"), struct.getMessage());
        }
    }

    @Test
    void closingSchemaKeepsListenersAndClientsMadeFromItWorking() {
        Path socket = TestSupport.tempSocket("closed-schema.sock");
        Schema schema = TestSupport.calculatorSchema();
        try (EventLoop server = EventLoop.start("s"); EventLoop clients = EventLoop.start("c")) {
            server.listen(socket, TestSupport.calculator(schema));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            schema.close();
            assertEquals(5, client.call("add", p -> p.set("a", 2).set("b", 3)).getInt("result"));
            assertThrows(ClosedException.class, () -> schema.interfaceType("CalcInit"));
        }
    }
}
