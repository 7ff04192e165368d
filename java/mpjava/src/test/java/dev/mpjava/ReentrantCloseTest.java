package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * close() from inside mpjava's own callbacks — a handler, a callback nested in a call
 * on the same client, a log handler, a future's continuation on the loop thread —
 * returns, never deadlocks, and fails the calls in flight cleanly.
 */
class ReentrantCloseTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private Schema hubSchema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;
    // Disconnect warnings are expected here: captured, not printed.
    private final TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
    private final TestSupport.LogCapture clientLog = new TestSupport.LogCapture();

    @BeforeEach
    void setUp() {
        hubSchema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
        server = EventLoop.start("reentrant-server", serverLog.options(LogLevel.INFO));
        clients = EventLoop.start("reentrant-clients", clientLog.options(LogLevel.INFO));
        socket = TestSupport.tempSocket("hub.sock");
        server.listen(socket, TestSupport.hub(hubSchema, new CopyOnWriteArrayList<>()));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        hubSchema.close();
        for (TestSupport.LogCapture log : List.of(serverLog, clientLog)) {
            assertFalse(log.contains("loop thread failed"), "a loop thread stopped on an exception: " + log.dump());
        }
    }

    private static void assertFailedCleanly(Throwable e) {
        assertTrue(e instanceof DisconnectedException || e instanceof ClosedException, "unexpected failure: " + e);
    }

    @Test
    void closeInsideACallbackNestedInACallOnTheSameClientFailsTheCallAndReturns() {
        Client hub = clients.connect(socket, hubSchema.interfaceType("Hub"));
        AtomicBoolean closeReturned = new AtomicBoolean();
        Implementation closer = Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
            hub.close();
            closeReturned.set(true);
            r.set("result", 0);
        });
        IpcException failed = assertTimeoutPreemptively(DEADLINE,
                () -> assertThrows(IpcException.class, () -> hub.call("callback", p -> p.set("cb", closer).set("arg", 1))));
        assertFailedCleanly(failed);
        assertTrue(closeReturned.get());
        assertFalse(hub.isConnected());
        assertThrows(ClosedException.class, () -> hub.call("callback", p -> p.set("cb", closer).set("arg", 1)));
    }

    @Test
    void closeThreeCallbacksDeepFailsEveryLevelAndReturns() {
        Client hub = clients.connect(socket, hubSchema.interfaceType("Hub"));
        class Chain {
            Implementation at(int depth) {
                return Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
                    if (depth == 0) {
                        hub.close();
                        r.set("result", 0);
                    } else {
                        r.set("result", hub.call("callback", q -> q.set("cb", at(depth - 1)).set("arg", 1)).getInt("result"));
                    }
                });
            }
        }
        IpcException failed = assertTimeoutPreemptively(DEADLINE,
                () -> assertThrows(IpcException.class, () -> hub.call("callback", p -> p.set("cb", new Chain().at(3)).set("arg", 1))));
        assertTrue(failed instanceof DisconnectedException || failed instanceof ClosedException
                || failed instanceof RemoteException, "each level fails, the outermost with the disconnect: " + failed);
    }

    @Test
    void closingTheServerLoopFromAContextHandlerOnItsWorkerReturns() throws Exception {
        Path threadSocket = TestSupport.tempSocket("threads.sock");
        try (Schema threads = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"))) {
            EventLoop workerLoop = EventLoop.start("worker-closer");
            AtomicBoolean closeReturned = new AtomicBoolean();
            workerLoop.listen(threadSocket, Implementation.of(threads.interfaceType("ThreadTest")).on("threadName", (p, r) -> {
                workerLoop.close();  // on a worker thread of that very loop
                closeReturned.set(true);
                r.set("result", Thread.currentThread().getName());
            }));
            Client client = clients.connect(threadSocket, threads.interfaceType("ThreadTest"));
            assertTimeoutPreemptively(DEADLINE, () -> {
                try {
                    client.call("threadName");
                } catch (DisconnectedException | ClosedException e) {
                    // the loop went while the call was in flight: a clean failure
                }
            });
            TestSupport.waitFor("the handler's close() to return", closeReturned::get);
            assertFalse(workerLoop.isOpen());
        }
    }

    @Test
    void closingALoopFromItsOwnLogHandlerReturns() {
        AtomicBoolean closeReturned = new AtomicBoolean();
        EventLoop[] loop = new EventLoop[1];
        LogHandler closing = (level, thread, message) -> {
            if (message.equals("IPC server: socket connected.")) {  // logged on the loop thread
                loop[0].close();
                closeReturned.set(true);
            }
        };
        try (Schema calc = TestSupport.calculatorSchema()) {
            loop[0] = EventLoop.start("log-closer", LogOptions.defaults().handler(closing));
            Path logSocket = TestSupport.tempSocket("log.sock");
            loop[0].listen(logSocket, TestSupport.calculator(calc));
            Client client = clients.connect(logSocket, calc.interfaceType("CalcInit"));
            TestSupport.waitFor("the log handler's close() to return", closeReturned::get);
            assertFalse(loop[0].isOpen());
            TestSupport.waitFor("the client to see the server go", () -> !client.isConnected());
            assertThrows(DisconnectedException.class, () -> client.call("add", p -> p.set("a", 1).set("b", 2)));
            assertTrue(clientLog.contains("IPC client: unexpected network disconnect."), clientLog.dump());
        }
    }

    @Test
    void closingClientAndLoopFromAFutureContinuationOnTheLoopThreadReturns() throws Exception {
        Client hub = clients.connect(socket, hubSchema.interfaceType("Hub"));
        Implementation slow = Implementation.of(hubSchema.interfaceType("Callback")).on("call", (p, r) -> {
            Thread.sleep(200);
            r.set("result", 1);
        });
        CompletableFuture<StructValue> inFlight = hub.callAsync("callback", p -> p.set("cb", slow).set("arg", 1));
        CompletableFuture<Void> closed = hub.callAsync("raise", p -> p.set("name", ""))
                .thenRun(() -> {
                    hub.close();     // on the client loop's thread
                    clients.close();
                });
        assertTimeoutPreemptively(DEADLINE, () -> closed.get());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
        assertFailedCleanly(failed.getCause());
        assertFalse(clients.isOpen());
        assertThrows(ClosedException.class, () -> clients.connect(socket, hubSchema.interfaceType("Hub")));
        assertEquals(false, hub.isConnected());
    }
}
