package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Capabilities as params and results, destroy, and callbacks on the caller's thread. */
class CapabilityTest {
    private Schema echoSchema;
    private Schema hubSchema;
    private EventLoop server;
    private EventLoop clients;
    private final AtomicInteger echoesClosed = new AtomicInteger();
    private final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        echoSchema = Schema.load(TestSupport.SCHEMAS.resolve("echo.capnp"));
        hubSchema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
        // A call after destroy fails on purpose; the server logs it.
        server = EventLoop.start("capserver", TestSupport.LogCapture.expecting("called after destroy").options(LogLevel.INFO));
        clients = EventLoop.start("capclients");
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        echoSchema.close();
        hubSchema.close();
    }

    private Client echoInit() {
        Implementation echo = Implementation.of(echoSchema.interfaceType("Echo"))
                .on("echo", (p, r) -> r.set("result", p.getString("echo")))
                .onClose(echoesClosed::incrementAndGet);
        Path socket = TestSupport.tempSocket("echo.sock");
        server.listen(socket, Implementation.of(echoSchema.interfaceType("Init"))
                .on("makeEcho", (p, r) -> r.set("result", echo)));
        return clients.connect(socket, echoSchema.interfaceType("Init"));
    }

    private Client connectHub() {
        Path socket = TestSupport.tempSocket("hub.sock");
        server.listen(socket, TestSupport.hub(hubSchema, printed));
        return clients.connect(socket, hubSchema.interfaceType("Hub"));
    }

    @Test
    void returnedCapabilityIsCallableAndCloseCallsDestroy() {
        Client init = echoInit();
        Client echo = init.call("makeEcho").getClient("result");
        assertEquals("Echo", echo.type().name());
        assertEquals("hi there", echo.call("echo", p -> p.set("echo", "hi there")).getString("result"));
        echo.close();
        waitFor("the server's close hook after destroy", () -> echoesClosed.get() == 1);
        assertThrows(ClosedException.class, () -> echo.call("echo", p -> p.set("echo", "late")));
    }

    @Test
    void callAfterDestroyFailsClearlyOnTheServer() {
        Client init = echoInit();
        Client echo = init.call("makeEcho").getClient("result");
        echo.call("destroy");
        RemoteException e = assertThrows(RemoteException.class, () -> echo.call("echo", p -> p.set("echo", "x")));
        assertTrue(e.reason().contains("called after destroy"), e.reason());
        waitFor("the close hook", () -> echoesClosed.get() == 1);
    }

    @Test
    void releaseWithoutDestroyStillRunsCloseHook() {
        Client init = echoInit();
        init.call("makeEcho").getClient("result");  // never closed by us
        init.close();                               // the connection goes, and with it the capability
        waitFor("the close hook after the peer disconnected", () -> echoesClosed.get() == 1);
    }

    @Test
    void callbackRunsOnTheCallingJavaThreadWhileItWaits() {
        Client hub = connectHub();
        List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
        AtomicInteger callbacksClosed = new AtomicInteger();
        Implementation callback = Implementation.of(hubSchema.interfaceType("Callback"))
                .on("call", (p, r) -> {
                    callbackThreads.add(Thread.currentThread());
                    r.set("result", p.getInt("arg") * 10);
                })
                .onClose(callbacksClosed::incrementAndGet);
        assertEquals(51, hub.call("callback", p -> p.set("cb", callback).set("arg", 5)).getInt("result"));
        assertEquals(List.of(Thread.currentThread()), callbackThreads);
        waitFor("the callback's close hook (destroy from the server)", () -> callbacksClosed.get() == 1);
    }

    @Test
    void callbackDuringAsyncCallRunsOnTheConnectionsCallbackThread() throws Exception {
        Client hub = connectHub();
        List<String> threads = new CopyOnWriteArrayList<>();
        Implementation callback = Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
            threads.add(Thread.currentThread().getName());
            r.set("result", p.getInt("arg"));
        });
        StructValue result = hub.callAsync("callback", p -> p.set("cb", callback).set("arg", 2))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(3, result.getInt("result"));
        assertEquals(List.of("mpjava-callbacks"), threads, "nobody waits on an async call, so a worker serves it");
    }

    @Test
    void callbacksFromManyJavaThreadsEachReturnToTheirOwnThread() throws Exception {
        Client hub = connectHub();
        TestSupport.runCallers(4, id -> {
            for (int i = 0; i < 20; i++) {
                Thread me = Thread.currentThread();
                Implementation cb = Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
                    assertSame(me, Thread.currentThread());
                    r.set("result", p.getInt("arg"));
                });
                int a = i + id;
                assertEquals(a + 1, hub.call("callback", p -> p.set("cb", cb).set("arg", a)).getInt("result"));
            }
        });
    }

    @Test
    void reentrantCallbackChainsSeveralLevelsDeepDoNotDeadlock() {
        Client hub = connectHub();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        // depth n: the callback calls the hub again with a callback of depth n-1.
        class Chain {
            Implementation at(int depth) {
                return Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
                    threads.add(Thread.currentThread());
                    if (depth == 0) {
                        r.set("result", p.getInt("arg"));
                    } else {
                        int inner = hub.call("callback", q -> q.set("cb", at(depth - 1)).set("arg", p.getInt("arg")))
                                .getInt("result");
                        r.set("result", inner);
                    }
                });
            }
        }
        // Each level adds one on the hub side: arg 10 through 4 hub calls gives 14.
        assertEquals(14, hub.call("callback", p -> p.set("cb", new Chain().at(3)).set("arg", 10)).getInt("result"));
        assertEquals(4, threads.size());
        for (Thread t : threads) assertSame(Thread.currentThread(), t, "every level ran on the original thread");
    }

    @Test
    void printerFromOnePeerIsPassedOnToAnother() {
        // Like upstream's mpexample: a printer made by one process is handed to a
        // calculator in another, and the calculator prints through it.
        Client printerHub = connectHub();
        Client calculatorHub = connectHub();
        Client printer = printerHub.call("makePrinter").getClient("result");
        Client calculator = calculatorHub.call("makeCalculator", p -> p.set("printer", printer)).getClient("result");
        assertEquals(5, calculator.call("solve", p -> p.set("a", 2).set("b", 3)).getLong("result"));
        assertEquals(List.of("hub: 2+3 = 5"), printed);
        calculator.close();
        printer.close();
    }

    @Test
    void javaPrinterPassedToCalculatorPrintsOnCallingThread() {
        Client hub = connectHub();
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger printerClosed = new AtomicInteger();
        Implementation printer = Implementation.of(hubSchema.interfaceType("Printer"))
                .on("print", (p, r) -> lines.add(Thread.currentThread().getName() + ": " + p.getString("text")))
                .onClose(printerClosed::incrementAndGet);
        Client calculator = hub.call("makeCalculator", p -> p.set("printer", printer)).getClient("result");
        assertEquals(3, calculator.call("solve", p -> p.set("a", 1).set("b", 2)).getLong("result"));
        assertEquals(List.of(Thread.currentThread().getName() + ": 1+2 = 3"), lines);
        calculator.close();  // destroy: the calculator's close hook closes its printer client -> destroy here
        waitFor("the printer's close hook", () -> printerClosed.get() == 1);
    }

    @Test
    void structuredErrorInProxyExceptionFieldBecomesTypedException() {
        Client hub = connectHub();
        RaisedException e = assertThrows(RaisedException.class, () -> hub.call("raise", p -> p.set("name", "boom")));
        assertEquals("error", e.field());
        StructValue error = (StructValue) e.error();
        assertEquals("boom", error.getString("name"));
        assertEquals(7, error.getInt("code"));
        assertTrue(hub.call("raise", p -> p.set("name", "")).toMap().get("error") == null, "no error when not raised");
    }

    @Test
    void wrongCapabilityTypeIsRejectedWithFieldPath() {
        Client hub = connectHub();
        Implementation notAPrinter = Implementation.of(hubSchema.interfaceType("Callback"));
        Client printer = hub.call("makePrinter").getClient("result");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hub.call("callback", p -> p.set("cb", printer).set("arg", 1)));
        assertTrue(e.getMessage().contains("cb"), e.getMessage());
        assertEquals(1, hub.call("callback", p -> p.set("cb", notAPrinter.on("call", (q, r) -> r.set("result", 0)))
                .set("arg", 1)).getInt("result"));
        printer.close();
    }
}
