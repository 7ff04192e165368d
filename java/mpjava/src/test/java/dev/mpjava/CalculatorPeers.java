package dev.mpjava;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Per-test fixture of the calculator scenarios: a server loop whose native log lines are
 * captured, a client loop, and a fresh socket path. Tests start the listener they need.
 */
abstract class CalculatorPeers {
    protected final TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
    /** The client loop's log: the tests drop connections and send garbage on purpose. */
    protected final TestSupport.LogCapture clientLog = TestSupport.LogCapture.expecting(
            "IPC client: unexpected network disconnect.", "IPC client: construct failed");
    protected Schema schema;
    protected EventLoop server;
    protected EventLoop clients;
    protected Path socket;

    @BeforeEach
    void startPeers() {
        String name = getClass().getSimpleName();
        schema = TestSupport.calculatorSchema();
        server = EventLoop.start(name + "-server", serverLog.options(LogLevel.TRACE));
        clients = EventLoop.start(name + "-clients", clientLog.options(LogLevel.INFO));
        socket = TestSupport.tempSocket("calc.sock");
    }

    @AfterEach
    void stopPeers() {
        clients.close();
        server.close();
        schema.close();
    }

    protected Client connect() {
        return clients.connect(socket, schema.interfaceType("CalcInit"));
    }

    /** CalcInit.add(a, b), waiting for the result. */
    protected static int sum(Client client, int a, int b) {
        return client.call("add", p -> p.set("a", a).set("b", b)).getInt("result");
    }
}
