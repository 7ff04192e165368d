package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server interceptors ({@link Implementation#withInterceptor}) see every call an
 * implementation serves, with its method, peer, sizes, duration and outcome: succeeded,
 * failed with the handler's exception, or cancelled by its caller.
 */
class ServerInterceptorTest {
    /** Counts calls per "method outcome", the way a metrics interceptor would. */
    static final class Counter implements CallInterceptor {
        final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final AtomicInteger started = new AtomicInteger();
        volatile CallInfo lastOk;
        volatile CallOutcome lastOkOutcome;
        volatile CallOutcome lastFailed;

        @Override
        public void started(CallInfo call) {
            started.incrementAndGet();
        }

        @Override
        public void ended(CallInfo call, CallOutcome outcome) {
            String kind = outcome.succeeded() ? "ok" : outcome.error() instanceof CancelledException ? "cancelled" : "failed";
            counts.computeIfAbsent(call.method() + " " + kind, k -> new AtomicInteger()).incrementAndGet();
            if (outcome.succeeded()) {
                lastOk = call;
                lastOkOutcome = outcome;
            } else if (!(outcome.error() instanceof CancelledException)) {
                lastFailed = outcome;
            }
        }

        int count(String methodAndKind) {
            AtomicInteger n = counts.get(methodAndKind);
            return n == null ? 0 : n.get();
        }
    }

    private final Counter counter = new Counter();
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        server = EventLoop.start("icpt-server", TestSupport.LogCapture.expecting("no names today").options(LogLevel.INFO));
        clients = EventLoop.start("icpt-clients");
        socket = TestSupport.tempSocket("icpt.sock");
        server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest"))
                .withInterceptor(counter)
                .on("threadName", (p, r) -> r.set("result", Thread.currentThread().getName()))
                .on("loopThreadName", (p, r) -> {
                    throw new IllegalStateException("no names today");
                })
                .on("slow", (p, r) -> Thread.sleep(30_000)));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    @Test
    void serverInterceptorCountsCallsAndTheirOutcomesOkFailedAndCancelled() {
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        client.call("threadName");
        client.call("threadName");
        assertThrows(RemoteException.class, () -> client.call("loopThreadName"));
        assertThrows(DeadlineExceededException.class, () -> client.call("slow", p -> p.set("millis", 1), Duration.ofMillis(100)));
        TestSupport.waitFor("the cancelled call's handler to end", () -> counter.count("slow cancelled") == 1);
        assertEquals(2, counter.count("threadName ok"));
        assertEquals(1, counter.count("loopThreadName failed"));
        assertEquals(0, counter.count("slow failed"));
        assertEquals(4, counter.started.get());

        CallInfo ok = counter.lastOk;
        assertEquals("ThreadTest", ok.interfaceName());
        assertEquals("threadName", ok.method());
        assertEquals(ProcessHandle.current().pid(), ok.peer().pid(), "the peer is this process");
        assertTrue(ok.paramBytes() > 0, "params were received");
        assertTrue(counter.lastOkOutcome.resultBytes() > 0, "results were sent");
        assertTrue(counter.lastOkOutcome.duration().compareTo(Duration.ofSeconds(5)) < 0);
        assertInstanceOf(IllegalStateException.class, counter.lastFailed.error());
        assertEquals(0, counter.lastFailed.resultBytes());
    }

    @Test
    void aThrowingServerInterceptorIsLoggedAndHarmsNoCall() {
        Counter after = new Counter();
        Implementation impl = Implementation.of(schema.interfaceType("ThreadTest"))
                .withInterceptor(InterceptorTest.BROKEN)
                .withInterceptor(after)
                .on("threadName", (p, r) -> r.set("result", "fine"));
        assertEquals(2, impl.interceptors().size());
        Path other = TestSupport.tempSocket("icpt2.sock");
        server.listen(other, impl);
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            Client client = clients.connect(other, schema.interfaceType("ThreadTest"));
            assertEquals("fine", client.call("threadName").getString("result"));
            TestSupport.waitFor("the interceptor after the broken one to run", () -> after.count("threadName ok") == 1);
            TestSupport.waitFor("both throws to be logged", () -> jul.records().size() == 2);
            assertEquals("dev.mpjava.server", jul.records().get(0).getLoggerName());
            assertInstanceOf(IllegalStateException.class, jul.records().get(0).getThrown());
            assertNull(after.lastFailed);
        }
    }
}
