package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many short connections against a capped listener: 8 clients, each on its own loop as
 * separate processes would be, connect, call and disconnect 10,000 times in all while the
 * listener serves at most 2 at once. None may be lost or served beyond the cap, and
 * every count returns to its baseline.
 */
class SoakTest {
    private static final int CYCLES = 10_000;
    private static final int CLIENTS = 8;
    private static final int MAX_CONNECTIONS = 2;
    private static final long DEADLINE_MS = 240_000;

    private final AtomicInteger connectedEvents = new AtomicInteger();
    private final AtomicInteger disconnectedEvents = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    @Test
    void tenThousandConnectCallDisconnectCyclesAtMaxTwoWithEightClients() throws Exception {
        Path socket = TestSupport.tempSocket("soak.sock");
        TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("soak-server", serverLog.options(LogLevel.WARNING))) {
            Listener listener = server.listen(socket, TestSupport.calculator(schema),
                    ListenOptions.maxConnections(MAX_CONNECTIONS));
            listener.watchConnections(new ConnectionEvents() {
                @Override
                public void connected(Peer peer, int active) {
                    connectedEvents.incrementAndGet();
                    mostActive.accumulateAndGet(active, Math::max);
                }

                @Override
                public void disconnected(Peer peer, int active) {
                    disconnectedEvents.incrementAndGet();
                }
            });
            List<EventLoop> clientLoops = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) clientLoops.add(EventLoop.start("soak-client-" + i));
                ResourceLeakTest.Counters baseline = ResourceLeakTest.Counters.now();
                long elapsedMs = runCycles(clientLoops, socket, schema.interfaceType("CalcInit"));

                assertEquals(CYCLES, served.get(), "every cycle served");
                TestSupport.waitFor("every disconnect noticed", () -> disconnectedEvents.get() == CYCLES);
                assertEquals(CYCLES, connectedEvents.get(), "one connected event per cycle");
                assertTrue(mostActive.get() <= MAX_CONNECTIONS,
                        "at most " + MAX_CONNECTIONS + " served at once, saw " + mostActive.get());
                assertEquals(0, listener.activeConnections());
                ResourceLeakTest.assertBackToBaseline(baseline, CYCLES + " cycles");
                assertTrue(serverLog.lines().isEmpty(), "no warning or error on the server: " + serverLog.dump());
                System.out.printf("soak: %d cycles, %d clients, max %d active (cap %d), %d ms, %.0f cycles/s%n", CYCLES,
                        CLIENTS, mostActive.get(), MAX_CONNECTIONS, elapsedMs, CYCLES * 1000.0 / elapsedMs);
            } finally {
                for (EventLoop loop : clientLoops) loop.close();
            }
        }
    }

    /** One thread per client loop takes cycle numbers until all are done; returns the elapsed ms. */
    private long runCycles(List<EventLoop> clientLoops, Path socket, InterfaceType calcInit) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (EventLoop loop : clientLoops) {
            Thread t = new Thread(() -> {
                try {
                    for (int n = next.getAndIncrement(); n < CYCLES && failure.get() == null; n = next.getAndIncrement()) {
                        try (Client client = loop.connect(socket, calcInit)) {
                            int a = n;
                            int sum = client.call("add", p -> p.set("a", a).set("b", 1)).getInt("result");
                            assertEquals(n + 1, sum, "cycle " + n);
                        }
                        served.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "soak-" + loop.name());
            threads.add(t);
            t.start();
        }
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                failure.compareAndSet(null, new AssertionError("stopped by the deadline"));
                fail(t.getName() + " still cycling after " + DEADLINE_MS + " ms; served " + served.get());
            }
        }
        if (failure.get() != null) throw new AssertionError("a cycle failed after " + served.get() + " served", failure.get());
        return (System.nanoTime() - start) / 1_000_000;
    }
}
