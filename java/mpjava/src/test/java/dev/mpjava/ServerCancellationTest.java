package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller that gives up reaches the server: a handler still running its call, on a handler
 * executor or on a Context call's worker thread, sees {@link CallContext#isCancelled()} and
 * is interrupted; calls that end normally leave no interrupt behind.
 */
class ServerCancellationTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final AtomicBoolean sawCancelled = new AtomicBoolean();
    private final AtomicBoolean strayInterrupt = new AtomicBoolean();
    private final CountDownLatch handlerReturned = new CountDownLatch(1);
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        server = EventLoop.start("cancel-server");
        clients = EventLoop.start("cancel-clients");
        socket = TestSupport.tempSocket("cancel.sock");
        MethodHandler blocks = (p, r) -> {
            entered.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                sawCancelled.set(CallContext.current().isCancelled());
                interrupted.countDown();
                throw e;
            } finally {
                handlerReturned.countDown();
            }
        };
        MethodHandler quick = (p, r) -> {
            if (Thread.currentThread().isInterrupted()) strayInterrupt.set(true);
            r.set("result", Thread.currentThread().getName());
        };
        server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest"))
                .on("slow", blocks)             // Context: on a worker thread
                .on("loopThreadName", quick)    // no Context: on the handler pool below
                .on("threadName", quick),
                ListenOptions.defaults().withHandlerThreads(1, 4));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    private Client connect() {
        return clients.connect(socket, schema.interfaceType("ThreadTest"));
    }

    @Test
    void executorHandlerIsInterruptedWhenTheCallersFutureIsCancelled() throws Exception {
        server.close();  // a server whose blocking method runs on its handler pool
        server = EventLoop.start("cancel-server-2");
        CountDownLatch poolEntered = new CountDownLatch(1);
        CountDownLatch poolInterrupted = new CountDownLatch(1);
        server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest")).on("loopThreadName", (p, r) -> {
            poolEntered.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                sawCancelled.set(CallContext.current().isCancelled());
                poolInterrupted.countDown();
                throw e;
            }
        }), ListenOptions.defaults().withHandlerThreads(1, 4));
        Client client = connect();
        CompletableFuture<StructValue> call = client.callAsync("loopThreadName");
        assertTrue(poolEntered.await(5, TimeUnit.SECONDS));
        call.cancel(true);
        assertTrue(poolInterrupted.await(5, TimeUnit.SECONDS), "the pool's handler was interrupted");
        assertTrue(sawCancelled.get());
    }

    @Test
    void contextHandlerSeesTheCancelAndIsInterruptedWhenTheCallersDeadlinePasses() throws Exception {
        Client client = connect();
        String before = client.call("threadName").getString("result");
        long start = System.nanoTime();
        assertThrows(DeadlineExceededException.class,
                () -> client.call("slow", p -> p.set("millis", 0), Duration.ofMillis(300)));
        long failedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(failedAfter >= 300 && failedAfter < 300 + 200, "the call failed after " + failedAfter + " ms");
        assertTrue(entered.await(5, TimeUnit.SECONDS), "slow ran");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the Context handler on its worker was interrupted");
        assertTrue(sawCancelled.get(), "CallContext.isCancelled() was true in the handler");
        assertTrue(handlerReturned.await(5, TimeUnit.SECONDS));
        // The next call from this thread is served at once (a fresh server thread), not
        // after the 30 s the abandoned handler would have slept.
        long next = System.nanoTime();
        String after = client.call("threadName", p -> {}, Duration.ofSeconds(2)).getString("result");
        long nextTook = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next);
        assertTrue(nextTook < 1000, "the next call took " + nextTook + " ms");
        assertTrue(after.startsWith("mpjava-worker/"), after);
        assertTrue(before.startsWith("mpjava-worker/"), before);
        assertFalse(strayInterrupt.get(), "the next call's handler found its thread interrupted");
    }

    @Test
    void contextHandlerIsInterruptedWhenTheCallersFutureIsCancelled() throws Exception {
        Client client = connect();
        CompletableFuture<StructValue> call = client.callAsync("slow", p -> p.set("millis", 0));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        call.cancel(true);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the Context handler on its worker was interrupted");
        assertTrue(sawCancelled.get());
        // The connection and its async server thread go on.
        assertFalse(client.callAsync("threadName").get(5, TimeUnit.SECONDS).getString("result").isEmpty());
    }

    @Test
    void callsThatEndNormallyLeaveNoInterruptOnThePooledThread() {
        Client client = connect();
        for (int i = 0; i < 200; i++) {
            assertFalse(client.call("loopThreadName").getString("result").isEmpty());
        }
        assertFalse(strayInterrupt.get(), "a handler found its thread interrupted");
        assertEquals(1, entered.getCount(), "slow never ran");
    }
}
