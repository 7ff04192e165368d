package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Errors in both directions: Java exceptions to remote callers, remote errors to Java callers. */
class ErrorHandlingTest {
    private final TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;
    private Client client;

    @BeforeEach
    void setUp() {
        schema = TestSupport.calculatorSchema();
        server = EventLoop.start("errors-server", serverLog.options(LogLevel.INFO));
        clients = EventLoop.start("errors-client");
        socket = TestSupport.tempSocket("errors.sock");
        server.listen(socket, TestSupport.calculator(schema)
                .on("echo", (p, r) -> r.set("result", 12345)));  // wrong type for a Text result
        client = clients.connect(socket, schema.interfaceType("CalcInit"));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    @Test
    void javaHandlerExceptionReachesCallerAsFailedAndServerKeepsServing() {
        RemoteException e = assertThrows(RemoteException.class, () -> client.call("fail", p -> p.set("message", "boom")));
        assertEquals(RemoteException.Type.FAILED, e.type());
        assertTrue(e.reason().contains("java.lang.IllegalStateException: boom"), e.reason());
        assertEquals(3, client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"), "same client still served");
        try (Client other = clients.connect(socket, schema.interfaceType("CalcInit"))) {
            assertEquals(7, other.call("add", p -> p.set("a", 3).set("b", 4)).getInt("result"));
        }
        assertTrue(serverLog.contains("IPC server unhandled exception: java.lang.IllegalStateException: boom"),
                serverLog.dump());
        assertEquals(LogLevel.ERROR, serverLog.first("IPC server unhandled exception").level());
    }

    @Test
    void asyncCallCompletesExceptionallyWithTheRemoteError() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.callAsync("fail", p -> p.set("message", "async boom")).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RemoteException, String.valueOf(e.getCause()));
        assertTrue(((RemoteException) e.getCause()).reason().contains("async boom"));
    }

    @Test
    void handlerResultsOfTheWrongTypeFailTheCallNamingTheField() {
        RemoteException e = assertThrows(RemoteException.class, () -> client.call("echo", p -> p.set("text", "x")));
        assertTrue(e.reason().contains("echo$Results.result: expected Text, got integer"), e.reason());
    }

    @Test
    void methodWithoutHandlerFailsAsNotImplemented() {
        try (Schema other = TestSupport.calculatorSchema()) {
            Path bare = TestSupport.tempSocket("bare.sock");
            server.listen(bare, Implementation.of(other.interfaceType("CalcInit")));
            Client c = clients.connect(bare, other.interfaceType("CalcInit"));
            RemoteException e = assertThrows(RemoteException.class, () -> c.call("add", p -> p.set("a", 1).set("b", 2)));
            assertTrue(e.reason().contains("CalcInit.add is not implemented"), e.reason());
        }
    }

    @Test
    void unknownMethodFieldAndWrongValueTypeAreRejectedLocally() {
        IllegalArgumentException method = assertThrows(IllegalArgumentException.class, () -> client.call("multiply"));
        assertTrue(method.getMessage().contains("no method 'multiply' in interface CalcInit (methods: construct, add"),
                method.getMessage());
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
                () -> client.call("add", p -> p.set("c", 1)));
        assertTrue(field.getMessage().contains("no field 'c'"), field.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> client.call("add", p -> p.set("a", "one")));
        assertTrue(type.getMessage().contains("add$Params.a: expected Int32, got string"), type.getMessage());
        IllegalArgumentException javaType = assertThrows(IllegalArgumentException.class,
                () -> client.call("add", p -> p.set("a", new Object())));
        assertTrue(javaType.getMessage().contains("unsupported Java type java.lang.Object"), javaType.getMessage());
        assertEquals(2, client.call("add", p -> p.set("a", 1).set("b", 1)).getInt("result"));
    }

    @Test
    void callAfterServerIsGoneFailsWithDisconnectedException() {
        assertEquals(2, client.call("add", p -> p.set("a", 1).set("b", 1)).getInt("result"));
        server.close();
        TestSupport.waitFor("the client to see the disconnect", () -> !client.isConnected());
        DisconnectedException e = assertThrows(DisconnectedException.class,
                () -> client.call("add", p -> p.set("a", 1).set("b", 1)));
        assertTrue(e.getMessage().contains("IPC client method called after disconnect."), e.getMessage());
        assertEquals(RemoteException.Type.DISCONNECTED, e.type());
    }
}
