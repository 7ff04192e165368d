package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller that gives up reaches the server: a handler still running its call on a handler
 * executor sees {@link CallContext#isCancelled()} and is interrupted; calls that end
 * normally leave no interrupt behind. (Context calls run to their end: see design.md.)
 */
class ServerCancellationTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final AtomicBoolean sawCancelled = new AtomicBoolean();
    private final AtomicBoolean strayInterrupt = new AtomicBoolean();
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
    void callsThatEndNormallyLeaveNoInterruptOnThePooledThread() {
        Client client = connect();
        for (int i = 0; i < 200; i++) {
            assertFalse(client.call("loopThreadName").getString("result").isEmpty());
        }
        assertFalse(strayInterrupt.get(), "a handler found its thread interrupted");
        assertEquals(1, entered.getCount(), "slow never ran");
    }
}
