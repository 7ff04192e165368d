package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.internal.Dispatcher;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Native threads calling into Java: attached once, named, and never calling collected objects. */
class ThreadBridgingTest {
    @Test
    void loopThreadIsAttachedOnceAndKeepsItsReadableName() throws Exception {
        Set<Thread> handlerThreads = Collections.newSetFromMap(new IdentityHashMap<>());
        Path socket = TestSupport.tempSocket("attach.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("attach");
                EventLoop clients = EventLoop.start("clients")) {
            Implementation impl = Implementation.of(schema.interfaceType("CalcInit")).on("add", (p, r) -> {
                synchronized (handlerThreads) {
                    handlerThreads.add(Thread.currentThread());
                }
                r.set("result", p.getInt("a") + p.getInt("b"));
            });
            server.listen(socket, impl);
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            client.call("add", p -> p.set("a", 0).set("b", 0));  // first upcall attaches the thread
            int threadsBefore = Thread.getAllStackTraces().size();
            for (int i = 0; i < 500; i++) {
                int a = i;
                assertEquals(a + 1, client.call("add", p -> p.set("a", a).set("b", 1)).getInt("result"));
            }
            int threadsAfter = Thread.getAllStackTraces().size();
            assertEquals(1, handlerThreads.size(), "every call ran on the one loop thread");
            Thread loopThread = handlerThreads.iterator().next();
            assertEquals("mpjava-loop-attach", loopThread.getName());
            assertTrue(loopThread.isDaemon(), "native threads are attached as daemons");
            assertEquals(threadsBefore, threadsAfter, "no thread is attached per call");
        }
    }

    @Test
    void implementationsAndHandlersSurviveGarbageCollectionBetweenCalls() throws Exception {
        Path socket = TestSupport.tempSocket("gc.sock");
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("gc", log.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("clients")) {
            // No reference to the implementation or its lambdas is kept here: only the dispatcher holds them.
            server.listen(socket, TestSupport.calculator(schema));
            WeakReference<Object> canary = new WeakReference<>(new Object());
            for (int round = 0; round < 5; round++) {
                forceGc(canary);
                canary = new WeakReference<>(new Object());
                try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                    for (int i = 0; i < 20; i++) {
                        int a = i;
                        assertEquals(a * 2, client.call("add", p -> p.set("a", a).set("b", a)).getInt("result"));
                        if (i % 5 == 0) forceGc(new WeakReference<>(new Object()));
                    }
                }
            }
            assertTrue(log.count("IPC server: socket connected.") >= 5, "log handler still reached after GC");
        }
    }

    @Test
    void closingLoopsReleasesEveryDispatcherRegistration() throws Exception {
        int before = Dispatcher.registrations();
        Path socket = TestSupport.tempSocket("reg.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("reg");
                EventLoop clients = EventLoop.start("clients")) {
            server.listen(socket, TestSupport.calculator(schema));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            client.callAsync("add", p -> p.set("a", 1).set("b", 1)).get();
            assertTrue(Dispatcher.registrations() > before);
        }
        assertEquals(before, Dispatcher.registrations());
    }

    private static void forceGc(WeakReference<Object> canary) {
        for (int i = 0; i < 50 && canary.get() != null; i++) {
            System.gc();
            byte[][] garbage = new byte[64][];
            for (int j = 0; j < garbage.length; j++) garbage[j] = new byte[64 * 1024];
            assertSame(garbage[0].getClass(), byte[].class);
        }
        assertTrue(canary.get() == null, "a full GC ran");
    }
}
