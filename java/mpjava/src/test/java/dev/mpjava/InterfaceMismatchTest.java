package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Connecting as one init interface to a server of another fails connect, naming both
 * (the peer's from its answer to construct), and leaves the client loop usable.
 */
class InterfaceMismatchTest {
    @Test
    void connectToAServerOfAnotherInterfaceFailsNamingBoth() {
        TestSupport.LogCapture clientLog = TestSupport.LogCapture.expecting("IPC client: construct failed");
        Path socket = TestSupport.tempSocket("mismatch.sock");
        try (Schema calculator = TestSupport.calculatorSchema();
                Schema threads = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
                EventLoop server = EventLoop.start("mismatch-server");
                EventLoop clients = EventLoop.start("mismatch-clients", clientLog.options(LogLevel.INFO))) {
            server.listen(socket, TestSupport.calculator(calculator));
            InterfaceMismatchException e = assertThrows(InterfaceMismatchException.class,
                    () -> clients.connect(socket, threads.interfaceType("ThreadTest")));
            assertEquals("ThreadTest", e.expected());
            assertEquals("CalcInit", e.peerInterface(), e.getMessage());
            assertTrue(e.getMessage().contains("does not serve ThreadTest but CalcInit"), e.getMessage());

            try (Client right = clients.connect(socket, calculator.interfaceType("CalcInit"))) {
                assertEquals(3, right.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"), "the loop goes on");
            }
        }
    }

    @Test
    void peerInterfaceIsReadFromCapnProtosAnswer() {
        assertEquals("CalcInit", ConstructCheck.served(
                "remote exception: Requested interface not implemented.; actualInterfaceName = /src/calculator.capnp:CalcInit; requestedTypeId = 1"));
        assertEquals(null, ConstructCheck.served("remote exception: Method not implemented."));
    }
}
