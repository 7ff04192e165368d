package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The libmultiprocess thread rules between two mpjava peers: construct exchanges
 * ThreadMaps on connect, a Context call runs on a worker thread made for the calling
 * thread, calls without a Context run on the loop thread.
 */
class ThreadProtocolTest {
    private Schema schema;
    /** A Context call without a ThreadMap is refused on purpose; the server logs it. */
    private final TestSupport.LogCapture serverLog = TestSupport.LogCapture.expecting("the peer sent no ThreadMap");
    private EventLoop server;
    private EventLoop clients;
    private Path socket;
    private final List<Thread> handlerThreads = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        server = EventLoop.start("tserver", serverLog.options(LogLevel.INFO));
        clients = EventLoop.start("tclients");
        socket = TestSupport.tempSocket("threads.sock");
        MethodHandler threadName = (p, r) -> {
            handlerThreads.add(Thread.currentThread());
            r.set("result", Thread.currentThread().getName());
        };
        server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest"))
                .on("threadName", threadName)
                .on("loopThreadName", threadName)
                .on("slow", (p, r) -> {
                    handlerThreads.add(Thread.currentThread());
                    long start = System.nanoTime();
                    Thread.sleep(p.getLong("millis"));
                    r.set("start", start).set("end", System.nanoTime());
                }));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    @Test
    void contextCallRunsOnWorkerThreadMadeForTheCallingThread() {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        String name = client.call("threadName").getString("result");
        assertTrue(name.startsWith("mpjava-worker"), name);
        client.call("threadName");
        assertEquals(2, handlerThreads.size());
        assertSame(handlerThreads.get(0), handlerThreads.get(1), "one server thread per calling thread");
    }

    @Test
    void serverThreadIsNamedAfterTheCallingThread() throws Exception {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        String[] served = new String[1];
        Thread caller = new Thread(() -> served[0] = client.call("threadName").getString("result"), "orders-caller");
        caller.start();
        caller.join(10_000);
        // The caller names itself as upstream does: "<loop>-<pid>/<thread>-<tid>".
        String prefix = "mpjava-worker/tclients-" + ProcessHandle.current().pid() + "/orders-caller-";
        assertTrue(served[0].startsWith(prefix), served[0]);
        // The kernel's name is cut to Linux's 15 bytes.
        assertTrue(TestSupport.nativeThreadNames().contains("mpjw/orders-cal"), "native threads: " + TestSupport.nativeThreadNames());
    }

    @Test
    void eachCallingThreadKeepsItsOwnServerThread() throws Exception {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        client.call("threadName");
        Thread other = new Thread(() -> {
            client.call("threadName");
            client.call("threadName");
        }, "second-caller");
        other.start();
        other.join(10_000);
        client.call("threadName");
        assertEquals(4, handlerThreads.size());
        assertNotSame(handlerThreads.get(0), handlerThreads.get(1));
        assertSame(handlerThreads.get(1), handlerThreads.get(2));
        assertSame(handlerThreads.get(0), handlerThreads.get(3));
    }

    @Test
    void simultaneousCallsOnOneServerThreadAreQueuedNotRejected() throws Exception {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        // Both calls come from this thread, so both name the same server thread.
        var first = client.callAsync("slow", p -> p.set("millis", 200));
        var second = client.callAsync("slow", p -> p.set("millis", 10));
        StructValue a = first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        StructValue b = second.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertSame(handlerThreads.get(0), handlerThreads.get(1));
        assertTrue(b.getLong("start") >= a.getLong("end"), "the second call ran after the first, on the same thread");
    }

    @Test
    void serverThreadEndsWhenTheClientGoesAway() {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        client.call("threadName");
        Thread worker = handlerThreads.get(0);
        assertTrue(worker.isAlive());
        client.close();
        TestSupport.waitFor("the server's worker thread to end", () -> !worker.isAlive());
    }

    @Test
    void callWithoutContextRunsOnServerLoopThread() {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        assertEquals("mpjava-loop-tserver", client.call("loopThreadName").getString("result"));
    }

    @Test
    void threadMapsExchangedByAMethodNotNamedConstructEnableContextCalls() {
        Path other = TestSupport.tempSocket("explicit.sock");
        server.listen(other, Implementation.of(schema.interfaceType("ExplicitMap"))
                .on("initThreadMap", (p, r) -> {})
                .on("threadName", (p, r) -> r.set("result", Thread.currentThread().getName())));
        Client client = clients.connect(other, schema.interfaceType("ExplicitMap"));
        client.call("initThreadMap");
        assertTrue(client.call("threadName").getString("result").startsWith("mpjava-worker"));
    }

    @Test
    void contextCallWithoutThreadMapFromPeerFailsClearly() {
        Path other = TestSupport.tempSocket("nomap.sock");
        server.listen(other, Implementation.of(schema.interfaceType("NoThreadMap"))
                .on("threadName", (p, r) -> r.set("result", "unreachable")));
        Client client = clients.connect(other, schema.interfaceType("NoThreadMap"));
        RemoteException e = assertThrows(RemoteException.class, () -> client.call("threadName"));
        assertTrue(e.getMessage().contains("sent no ThreadMap"), e.getMessage());
        TestSupport.LogCapture.Line logged = serverLog.first("the peer sent no ThreadMap");
        assertNotNull(logged, "the refusal is logged: " + serverLog.dump());
        assertEquals(LogLevel.ERROR, logged.level());
    }
}
