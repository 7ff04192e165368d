package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A client of one init interface talking to a server of another gets
 * InterfaceMismatchException naming both (the peer's from its answer): from connect with the
 * interface check, else from its calls. The client loop stays usable.
 */
class InterfaceMismatchTest {
    @Test
    void checkedConnectToAServerOfAnotherInterfaceFailsNamingBoth() {
        TestSupport.LogCapture clientLog = TestSupport.LogCapture.expecting("IPC client: construct failed");
        Path socket = TestSupport.tempSocket("mismatch.sock");
        try (Schema calculator = TestSupport.calculatorSchema();
                Schema threads = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
                EventLoop server = EventLoop.start("mismatch-server");
                EventLoop clients = EventLoop.start("mismatch-clients", clientLog.options(LogLevel.INFO))) {
            server.listen(socket, TestSupport.calculator(calculator));
            InterfaceMismatchException e = assertThrows(InterfaceMismatchException.class,
                    () -> clients.connect(socket, threads.interfaceType("ThreadTest"), ConnectOptions.defaults().withInterfaceCheck()));
            assertEquals("ThreadTest", e.expected());
            assertEquals("CalcInit", e.peerInterface(), e.getMessage());
            assertTrue(e.getMessage().startsWith("the peer does not serve ThreadTest but CalcInit (it answered: "), e.getMessage());
            assertEquals(RemoteException.Type.UNIMPLEMENTED, e.type());

            try (Client right = clients.connect(socket, calculator.interfaceType("CalcInit"))) {
                assertEquals(3, right.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"), "the loop goes on");
            }
        }
    }

    @Test
    void uncheckedConnectReturnsAndCallsFailNamingBothInterfaces() {
        TestSupport.LogCapture clientLog = TestSupport.LogCapture.expecting("IPC client: construct failed");
        Path socket = TestSupport.tempSocket("mismatch-calls.sock");
        try (Schema calculator = TestSupport.calculatorSchema();
                Schema threads = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
                EventLoop server = EventLoop.start("mismatch-calls-server");
                EventLoop clients = EventLoop.start("mismatch-calls-clients", clientLog.options(LogLevel.INFO));
                Client wrong = clients.connect(socket(server, calculator, socket), threads.interfaceType("ThreadTest"))) {
            for (int i = 0; i < 2; i++) {
                InterfaceMismatchException e = assertThrows(InterfaceMismatchException.class,
                        () -> wrong.call("loopThreadName", p -> {}));
                assertEquals("CalcInit", e.peerInterface(), e.getMessage());
            }
            TestSupport.waitFor("the construct warning", () -> clientLog.contains("IPC client: construct failed"));
        }
    }

    private static Path socket(EventLoop server, Schema calculator, Path socket) {
        server.listen(socket, TestSupport.calculator(calculator));
        return socket;
    }

    @Test
    void peerInterfaceIsReadFromCapnProtosAnswer() {
        assertEquals("CalcInit", ConstructCheck.served(
                "remote exception: Requested interface not implemented.; actualInterfaceName = /src/calculator.capnp:CalcInit; requestedTypeId = 1"));
        assertEquals(null, ConstructCheck.served("remote exception: Method not implemented."));
    }
}
