package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Handlers of methods without a Context on an executor (ListenOptions.withHandlerThreads /
 * withHandlerExecutor): a handler blocked on a latch holds up neither other clients nor
 * the noticing of a vanished one; rejection, late answers and closed loops are safe.
 */
class HandlerExecutorTest extends CalculatorPeers {
    /** Far above a normal call on a shared 2-core machine, far below the blocked handler. */
    private static final long NORMAL_CALL_MS = 1_000;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<Thread> addThreads = ConcurrentHashMap.newKeySet();

    /** CalcInit whose slow() blocks on {@link #release} (30 s at most) instead of sleeping. */
    private Implementation blocking() {
        return Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> {
                    addThreads.add(Thread.currentThread());
                    r.set("result", p.getInt("a") + p.getInt("b"));
                })
                .on("fail", (p, r) -> {
                    throw new IllegalStateException(p.getString("message"));
                })
                .on("slow", (p, r) -> {
                    entered.countDown();
                    if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    r.set("result", p.getLong("millis"));
                });
    }

    private static CompletableFuture<StructValue> slow(Client client) {
        return client.callAsync("slow", p -> p.set("millis", 7L));
    }

    /** The slowest of {@code n} add calls, in ms (the median is printed as a figure). */
    private static long slowestAdd(Client client, int n) {
        long[] took = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            assertEquals(2 * i, sum(client, i, i));
            took[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(took);
        System.out.println("[figure] median add while a handler blocks: " + took[n / 2] / 1_000 + " us");
        return TimeUnit.NANOSECONDS.toMillis(took[n - 1]);
    }

    @Test
    void blockedHandlerDelaysNoOtherClientAndAKilledClientIsNoticedMeanwhile() throws Exception {
        List<Long> gone = Collections.synchronizedList(new ArrayList<>());
        Listener listener = server.listen(socket, blocking(), ListenOptions.defaults().withHandlerThreads(4, 16));
        listener.watchConnections(new ConnectionEvents() {
            @Override
            public void connected(Peer peer, int active) {}

            @Override
            public void disconnected(Peer peer, int active) {
                gone.add(peer.connectionId());
            }
        });
        Client slowClient = connect();
        CompletableFuture<StructValue> blocked = slow(slowClient);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the slow handler started");

        Client other = connect();
        long worst = slowestAdd(other, 200);
        System.out.println("[figure] slowest of 200 add calls while a handler blocks: " + worst + " ms");
        assertTrue(worst < NORMAL_CALL_MS, "another client's calls keep their latency (" + worst + " ms)");
        assertFalse(blocked.isDone(), "the slow call is still blocked");

        // A client whose process dies: its socket closes under it, as at kill -9.
        try (EventLoop doomed = EventLoop.start("doomed")) {
            doomed.connect(socket, schema.interfaceType("CalcInit")).call("add", p -> p.set("a", 1).set("b", 1));
            waitFor("three clients served", () -> listener.activeConnections() == 3);
        }
        waitFor("the vanished client to be noticed", () -> gone.size() == 1 && listener.activeConnections() == 2);
        assertFalse(blocked.isDone(), "noticed while the handler still blocks");

        release.countDown();
        assertEquals(7L, blocked.get(10, TimeUnit.SECONDS).getLong("result"));
        assertTrue(addThreads.stream().allMatch(t -> t.getName().startsWith("mpjava-handler-")), "adds ran on the pool");
    }

    @Test
    void byDefaultHandlersRunOnTheLoopThreadOneAtATime() throws Exception {
        server.listen(socket, blocking());
        Client slowClient = connect();
        CompletableFuture<StructValue> blocked = slow(slowClient);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Client other = connect();
        CompletableFuture<StructValue> waiting = other.callAsync("add", p -> p.set("a", 1).set("b", 2));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS),
                "upstream's behaviour: the loop is busy with the blocked handler");
        release.countDown();
        assertEquals(3, waiting.get(10, TimeUnit.SECONDS).getInt("result"));
        assertEquals(7L, blocked.get(10, TimeUnit.SECONDS).getLong("result"));
        assertEquals("mpjava-loop-" + server.name(), addThreads.iterator().next().getName());
    }

    @Test
    void rejectedCallFailsWithServerBusyAndTheServerKeepsServing() throws Exception {
        server.listen(socket, blocking(), ListenOptions.defaults().withHandlerThreads(1, 0));
        Client first = connect();
        CompletableFuture<StructValue> blocked = slow(first);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Client second = connect();
        RemoteException busy = assertThrows(RemoteException.class, () -> sum(second, 1, 2));
        assertTrue(busy.getMessage().contains("server busy: no handler thread is free for CalcInit.add"),
                busy.getMessage());
        release.countDown();
        assertEquals(7L, blocked.get(10, TimeUnit.SECONDS).getLong("result"));
        waitFor("the pool thread to be free", () -> servedOnceFree(second, 1, 2));
        // The pool's one thread answers before it is idle again: the next call may still find it busy.
        waitFor("the first client to be served again", () -> servedOnceFree(first, 2, 3));
    }

    private static boolean servedOnceFree(Client client, int a, int b) {
        try {
            return sum(client, a, b) == a + b;
        } catch (RemoteException stillBusy) {
            return false;
        }
    }

    @Test
    void callerExecutorThatRejectsFailsTheCallOnly() {
        Listener listener = server.listen(socket, blocking(), ListenOptions.defaults().withHandlerExecutor(task -> {
            throw new RejectedExecutionException("full");
        }));
        Client client = connect();
        RemoteException busy = assertThrows(RemoteException.class, () -> sum(client, 1, 2));
        assertTrue(busy.getMessage().contains("server busy"), busy.getMessage());
        assertEquals(1, listener.activeConnections(), "the connection stays");
        RemoteException again = assertThrows(RemoteException.class, () -> sum(client, 1, 2));
        assertTrue(again.getMessage().contains("server busy"));
    }

    @Test
    void handlerThatThrowsOnTheExecutorFailsItsCall() {
        server.listen(socket, blocking(), ListenOptions.defaults().withHandlerThreads(2, 2));
        Client client = connect();
        RemoteException failed = assertThrows(RemoteException.class, () -> client.call("fail", p -> p.set("message", "boom")));
        assertTrue(failed.getMessage().contains("java.lang.IllegalStateException: boom"), failed.getMessage());
        assertEquals(4, sum(client, 2, 2));
    }

    @Test
    void implementationsExecutorWinsOverTheListeners() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "impl-executor"));
        try {
            server.listen(socket, blocking().handlersOn(executor), ListenOptions.defaults().withHandlerThreads(2, 2));
            assertEquals(3, sum(connect(), 1, 2));
            assertEquals("impl-executor", addThreads.iterator().next().getName());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void answerAfterTheCallerLeftIsDroppedAndLeavesNoReplyHandle() throws Exception {
        long repliesBefore = NativeStats.snapshot().count("handles.reply");
        CountDownLatch answered = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Listener listener = server.listen(socket, blocking(), ListenOptions.defaults().withHandlerExecutor(task ->
                    executor.execute(() -> {
                        task.run();
                        answered.countDown();
                    })));
            EventLoop leaving = EventLoop.start("leaving");
            CompletableFuture<StructValue> blocked = slow(leaving.connect(socket, schema.interfaceType("CalcInit")));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            leaving.close();  // the caller goes while its handler runs
            waitFor("the caller to be gone", () -> listener.activeConnections() == 0);
            assertTrue(blocked.isDone());
            release.countDown();  // the handler answers a call that has ended
            assertTrue(answered.await(10, TimeUnit.SECONDS), "the late answer returned normally");
            // Refused (the call ended with its connection) or completing a call nobody reads: nothing stays.
            assertEquals(repliesBefore, NativeStats.snapshot().count("handles.reply"));
            assertEquals(9, sum(connect(), 4, 5), "the server goes on");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void answerAfterTheServerLoopClosedIsDropped() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            server.listen(socket, blocking(), ListenOptions.defaults().withHandlerExecutor(task ->
                    executor.execute(() -> {
                        task.run();
                        answered.countDown();
                    })));
            CompletableFuture<StructValue> blocked = slow(connect());
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            server.close();  // does not wait for executor handlers
            ExecutionException gone = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(gone.getCause() instanceof IpcException, String.valueOf(gone.getCause()));
            release.countDown();
            assertTrue(answered.await(10, TimeUnit.SECONDS), "the late answer returned normally");
            assertEquals(0, NativeStats.snapshot().count("handles.reply"));
        } finally {
            executor.shutdownNow();
        }
    }
}
