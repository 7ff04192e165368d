package dev.mpjava;

import static dev.mpjava.TestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading .capnp files at run time: the bundled imports, interfaces and their methods, and errors. */
class SchemaLoadingTest {
    private static final Path SCHEMAS = TestSupport.SCHEMAS;

    @Test
    void calculatorAndEchoLoadTogetherWithBundledImportsAndListMethodsInOrder() {
        try (Schema schema = Schema.load(List.of(SCHEMAS.resolve("calculator.capnp"), SCHEMAS.resolve("echo.capnp")),
                List.of())) {
            InterfaceType calc = schema.interfaceType("CalcInit");
            assertEquals("CalcInit", calc.name());
            assertEquals(List.of("construct", "add", "echo", "fail", "slow"), calc.methods());
            InterfaceType init = schema.interfaceType("Init");
            assertEquals("Init", init.name());
            assertEquals(List.of("construct", "makeEcho"), init.methods());
            InterfaceType echo = schema.interfaceType("Echo");
            assertEquals(List.of("destroy", "echo"), echo.methods());
            assertSame(echo, schema.interfaceType("Echo"), "looked up once, then cached");
            assertEquals("interface Echo", echo.toString());
        }
    }

    @Test
    void echoSchemaLoadsOnItsOwnAndItsInterfacesCanBeImplemented() {
        try (Schema schema = Schema.load(SCHEMAS.resolve("echo.capnp"))) {
            InterfaceType init = schema.interfaceType("Init");
            // makeEcho returns a capability; registering a handler for it only needs the schema.
            Implementation impl = Implementation.of(init).on("makeEcho", (p, r) -> {});
            assertSame(init, impl.type());
            Implementation echo = Implementation.of(schema.interfaceType("Echo"))
                    .on("echo", (p, r) -> r.set("result", p.getString("echo")));
            assertEquals(List.of("destroy", "echo"), echo.type().methods());
        }
    }

    @Test
    void missingFileFailsNamingThePath() {
        Path missing = SCHEMAS.resolve("no_such_file.capnp");
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.load(missing));
        assertContains(e.getMessage(), "schema file not found");
        assertContains(e.getMessage(), missing.toAbsolutePath().toString());
    }

    @Test
    void missingImportDirectoryFailsNamingIt() {
        Path notADirectory = SCHEMAS.resolve("no_such_dir");
        SchemaException e = assertThrows(SchemaException.class,
                () -> Schema.load(SCHEMAS.resolve("types.capnp"), notADirectory));
        assertContains(e.getMessage(), notADirectory.toAbsolutePath().toString());
    }

    @Test
    void syntaxErrorNamesTheWholePathLineAndColumn() throws Exception {
        Path file = SCHEMAS.resolve("bad_syntax.capnp");
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.load(file));
        // Line 9 is "    missingColon @2 UInt32;": the parser gives up at the ";", column 27.
        assertTrue(e.getMessage().startsWith(file.toRealPath() + ":9:27: "), e.getMessage());
    }

    @Test
    void duplicateIdsInOneLoadAreRejected() {
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.load(
                List.of(SCHEMAS.resolve("types.capnp"), SCHEMAS.resolve("duplicate_id.capnp")), List.of()));
        assertContains(e.getMessage(), "Duplicate ID");
        assertContains(e.getMessage(), "duplicate_id.capnp:1:");
        // Each file on its own is fine.
        try (Schema types = Schema.load(SCHEMAS.resolve("types.capnp"));
                Schema clash = Schema.load(SCHEMAS.resolve("duplicate_id.capnp"))) {
            assertEquals(List.of("roundTrip"), types.interfaceType("TypesTest").methods());
        }
    }

    @Test
    void unknownInterfaceNameFailsNamingIt() {
        try (Schema schema = TestSupport.calculatorSchema()) {
            SchemaException e = assertThrows(SchemaException.class, () -> schema.interfaceType("Calculator"));
            assertContains(e.getMessage(), "Calculator");
            assertThrows(SchemaException.class, () -> schema.interfaceType("CalcInit.Nested"));
            assertThrows(SchemaException.class, () -> schema.interfaceType(""));
        }
    }

    @Test
    void structNamePassedAsInterfaceFailsAsNotAnInterface() {
        try (Schema schema = Schema.load(SCHEMAS.resolve("types.capnp"))) {
            SchemaException e = assertThrows(SchemaException.class, () -> schema.interfaceType("AllTypes"));
            assertContains(e.getMessage(), "AllTypes");
            assertContains(e.getMessage(), "is not an interface");
            assertContains(assertThrows(SchemaException.class, () -> schema.interfaceType("Color")).getMessage(),
                    "is not an interface");
        }
    }

    @Test
    void typesOfAnImportedFileAreFoundByTheirNameAndThroughTheImportAlias() {
        try (Schema schema = Schema.load(Path.of("src/test/capnp/decl/shapes.capnp"))) {
            assertEquals(List.of("measure"), schema.interfaceType("Units.Ruler").methods());
            assertEquals(List.of("measure"), schema.interfaceType("Ruler").methods());
        }
    }

    @Test
    void importAliasNamedAsATypeExplainsHowToNameATypeInIt() {
        try (Schema schema = Schema.load(Path.of("src/test/capnp/decl/shapes.capnp"))) {
            SchemaException e = assertThrows(SchemaException.class, () -> schema.interfaceType("Units"));
            assertContains(e.getMessage(), "'Units' is the imported file");
            assertContains(e.getMessage(), "units.capnp");
            assertContains(e.getMessage(), "'Units.Length'");
        }
    }

    @Test
    void closedSchemaRefusesNewLookupsButAlreadyLoadedInterfacesStayUsable() {
        Schema schema = TestSupport.calculatorSchema();
        InterfaceType calc = schema.interfaceType("CalcInit");
        schema.close();
        assertThrows(ClosedException.class, () -> schema.interfaceType("CalcInit"), "even a name looked up before");
        assertThrows(ClosedException.class, () -> schema.interfaceType("Calculator"));
        assertEquals(List.of("construct", "add", "echo", "fail", "slow"), calc.methods(), "names stay readable");
        schema.close();  // idempotent
    }

    @Test
    void interfaceTypeFromClosedSchemaCannotStartListenersOrClients() {
        Path socket = TestSupport.tempSocket("closed-schema.sock");
        Schema schema = TestSupport.calculatorSchema();
        InterfaceType calc = schema.interfaceType("CalcInit");
        Implementation impl = TestSupport.calculator(schema);
        schema.close();
        try (EventLoop server = EventLoop.start("closed-schema-server");
                EventLoop clients = EventLoop.start("closed-schema-clients")) {
            ClosedException listen = assertThrows(ClosedException.class, () -> server.listen(socket, impl));
            assertTrue(listen.getMessage().contains("its schema was closed"), listen.getMessage());
            int[] fds = Sockets.pair();
            Sockets.close(fds[1]);
            assertThrows(ClosedException.class, () -> clients.connect(fds[0], calc), "the fd is closed, not leaked");
            assertEquals("CalcInit", calc.name(), "the name stays readable");
        }
    }

    @Test
    void closingSchemaDoesNotBreakRunningListenerOrClient() {
        Path socket = TestSupport.tempSocket("schema.sock");
        TestSupport.LogCapture serverLog = TestSupport.LogCapture.expecting("after close");  // "fail" throws on purpose
        try (EventLoop server = EventLoop.start("schema-server", serverLog.options(LogLevel.INFO)); EventLoop clients = EventLoop.start("schema-clients")) {
            Schema schema = TestSupport.calculatorSchema();
            Listener listener = server.listen(socket, TestSupport.calculator(schema));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(3, client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            schema.close();
            assertEquals(30, client.call("add", p -> p.set("a", 10).set("b", 20)).getInt("result"),
                    "a client made before the close keeps calling");
            assertEquals("still here", client.call("echo", p -> p.set("text", "still here")).getString("result"));
            RemoteException failed = assertThrows(RemoteException.class,
                    () -> client.call("fail", p -> p.set("message", "after close")));
            assertContains(failed.reason(), "after close");
            try (Schema fresh = TestSupport.calculatorSchema()) {
                Client later = clients.connect(socket, fresh.interfaceType("CalcInit"));
                assertEquals(7, later.call("add", p -> p.set("a", 3).set("b", 4)).getInt("result"),
                        "the listener still accepts and serves new connections");
            }
            assertEquals(2, listener.activeConnections());
            assertThrows(ClosedException.class, () -> schema.interfaceType("CalcInit"), "no lookups after close");
        }
    }
}
