package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mpjava.internal.Dispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Repeating a misuse or an early exit many times leaves nothing behind: dispatcher
 * registrations, native objects and handles, file descriptors and mpjava threads all
 * return to where they were.
 */
class ResourceLeakTest {
    private static final int ROUNDS = 200;
    private static final String PEER = System.getProperty("mpjava.testPeer", "target/native/mpjava_test_peer");

    /** What must return to its earlier value. */
    record Counters(NativeStats stats, long fds, long mpjavaThreads) {
        static Counters now() {
            return new Counters(NativeStats.snapshot(), countFds(), countMpjavaThreads());
        }

        /**
         * What grew since {@code before}: a leak. (A count may also shrink, when
         * something made before the baseline is released only later, e.g. an export
         * the peer releases after its destroy; that is not a leak.)
         */
        String growthFrom(Counters before) {
            StringBuilder out = new StringBuilder();
            for (var e : stats.counts().entrySet()) {
                long was = before.stats.count(e.getKey());
                if (e.getValue() > was) out.append(e.getKey()).append(' ').append(was).append("->").append(e.getValue()).append("; ");
            }
            if (stats.dispatcherRegistrations() > before.stats.dispatcherRegistrations()) {
                out.append("registrations ").append(before.stats.dispatcherRegistrations()).append("->")
                        .append(stats.dispatcherRegistrations()).append("; ");
            }
            if (fds > before.fds) out.append("fds ").append(before.fds).append("->").append(fds).append("; ");
            if (mpjavaThreads > before.mpjavaThreads) {
                out.append("mpjava threads ").append(before.mpjavaThreads).append("->").append(mpjavaThreads);
            }
            return out.toString();
        }
    }

    static long countFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Native threads of mpjava (loops "mpj-…", workers "mpjava-…"), by their kernel names. */
    static long countMpjavaThreads() {
        return TestSupport.nativeThreadNames().stream().filter(n -> n.startsWith("mpj")).count();
    }

    /** Waits (collecting garbage, for Cleaner-released handles) until no counter is above its baseline. */
    static void assertBackToBaseline(Counters before, String after) {
        try {
            TestSupport.waitFor("counters back to baseline after " + after, Duration.ofSeconds(20), () -> {
                System.gc();
                return Counters.now().growthFrom(before).isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": grew: " + Counters.now().growthFrom(before), e);
        }
    }

    @Test
    void refusedCallsCarryingACapabilityLeaveNoRegistrations() throws Exception {
        Path socket = TestSupport.tempSocket("refused.sock");
        try (Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
                EventLoop server = EventLoop.start("refused-server");
                EventLoop clients = EventLoop.start("refused-clients")) {
            Listener listener = server.listen(socket, TestSupport.hub(schema, new CopyOnWriteArrayList<>()));
            Client hub = clients.connect(socket, schema.interfaceType("Hub"));
            AtomicInteger released = new AtomicInteger();
            Implementation cb = Implementation.of(schema.interfaceType("Callback")).on("call", (p, r) -> r.set("result", 1))
                    .onClose(released::incrementAndGet);
            assertEquals(2, hub.call("callback", p -> p.set("cb", cb).set("arg", 1)).getInt("result"));
            // The connection's async-callback worker is made once, on the first callAsync.
            assertEquals(2, hub.callAsync("callback", p -> p.set("cb", cb).set("arg", 1)).get(10, TimeUnit.SECONDS)
                    .getInt("result"));
            Client closed = clients.connect(socket, schema.interfaceType("Hub"));
            closed.close();
            // Settled: the warm-up exports were destroyed, the closed connection is gone.
            TestSupport.waitFor("the warm-up callbacks' release", () -> released.get() == 2);
            TestSupport.waitFor("the closed connection to end", () -> listener.activeConnections() == 1);
            Counters before = Counters.now();
            for (int i = 0; i < ROUNDS; i++) {
                // Refused natively: a value of the wrong type after the capability.
                assertThrows(IllegalArgumentException.class,
                        () -> hub.call("callback", p -> p.set("cb", cb).set("arg", "not a number")));
                // Refused natively: an unknown field, reported through the future.
                ExecutionException unknown = assertThrows(ExecutionException.class,
                        () -> hub.callAsync("callback", p -> p.set("cb", cb).set("nope", 1)).get(10, TimeUnit.SECONDS));
                assertEquals(IllegalArgumentException.class, unknown.getCause().getClass());
                // Refused in Java: the client is closed.
                assertThrows(ClosedException.class, () -> closed.call("callback", p -> p.set("cb", cb).set("arg", 1)));
            }
            assertBackToBaseline(before, ROUNDS + " rounds of refused calls");
            assertEquals(2, hub.call("callback", p -> p.set("cb", cb).set("arg", 1)).getInt("result"));
        }
    }

    @Test
    void unclosedReceivedCapabilitiesAreReleasedByTheCleaner() {
        Path socket = TestSupport.tempSocket("unclosed.sock");
        try (Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
                EventLoop server = EventLoop.start("unclosed-server");
                EventLoop clients = EventLoop.start("unclosed-clients")) {
            server.listen(socket, TestSupport.hub(schema, new CopyOnWriteArrayList<>()));
            Client hub = clients.connect(socket, schema.interfaceType("Hub"));
            hub.call("makePrinter").getClient("result").close();
            Counters before = Counters.now();
            for (int i = 0; i < ROUNDS; i++) {
                hub.call("makePrinter").getClient("result").call("print", p -> p.set("text", "x"));  // never closed
            }
            assertBackToBaseline(before, ROUNDS + " received capabilities dropped without close");
        }
    }

    @Test
    void closedLoopsWithLiveListenersClientsAndCapabilitiesLeaveNothing() {
        try (Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"))) {
            Counters before = null;
            for (int i = 0; i <= ROUNDS; i++) {
                if (i == 1) before = Counters.now();  // after one warm-up round
                Path socket = TestSupport.tempSocket("loops.sock");
                EventLoop server = EventLoop.start("leak-server");
                EventLoop clients = EventLoop.start("leak-clients");
                Listener listener = server.listen(socket, TestSupport.hub(schema, new CopyOnWriteArrayList<>()));
                Client hub = clients.connect(socket, schema.interfaceType("Hub"));
                Client printer = hub.call("makePrinter").getClient("result");  // held, never closed
                clients.close();
                server.close();
                assertThrows(ClosedException.class, () -> printer.call("print", p -> p.set("text", "late")));
                assertThrows(ClosedException.class, listener::activeConnections);
                deleteQuietly(socket);
            }
            assertBackToBaseline(before, ROUNDS + " loops closed with live listeners, clients and capabilities");
        }
    }

    @Test
    void schemaLoadAndCloseReleasesItsParser() {
        Schema first = TestSupport.calculatorSchema();
        first.interfaceType("CalcInit");
        first.close();
        Counters before = Counters.now();
        for (int i = 0; i < ROUNDS; i++) {
            Schema schema = TestSupport.calculatorSchema();
            schema.interfaceType("CalcInit");
            schema.interfaceType("CalcInit");  // cached
            schema.close();
        }
        assertBackToBaseline(before, ROUNDS + " schema load/close rounds");
        assertEquals(before.stats().count("schemaSets"), NativeStats.snapshot().count("schemaSets"));
    }

    @Test
    void poolCallsFromPeersThatLeaveEarlyLeaveNoThreads() throws Exception {
        Path socket = TestSupport.tempSocket("pool.sock");
        try (Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
                EventLoop server = EventLoop.start("pool-server")) {
            Listener listener = server.listen(socket, TestSupport.hub(schema, new CopyOnWriteArrayList<>()));
            Counters before = Counters.now();
            int connections = 500;
            try (SpawnedProcess peer = SpawnedProcess.spawn(
                    List.of(PEER, "pool-client", socket.toString(), String.valueOf(connections)))) {
                Sockets.close(peer.takeSocket());
                assertEquals(0, peer.waitFor(120, TimeUnit.SECONDS), "the peer made its " + connections + " connections");
            }
            TestSupport.waitFor("every connection to end", () -> listener.activeConnections() == 0);
            assertBackToBaseline(before, connections + " connections that used a pool and left");
            assertEquals(0, NativeStats.snapshot().workerThreads(), "no worker thread left");
            assertEquals(Dispatcher.registrations(), before.stats().dispatcherRegistrations());
        }
    }

    private static void deleteQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException e) {
            // a leftover temp file is not what this test is about
        }
    }
}
