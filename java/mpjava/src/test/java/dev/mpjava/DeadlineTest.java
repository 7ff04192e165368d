package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls with deadlines, interrupts and cancelled futures against a server whose Context
 * method {@code slow} blocks on its worker thread until the test lets it go: the caller
 * is released on time, the late answer is discarded, and the next call does not queue
 * behind the abandoned one.
 */
class DeadlineTest {
    /** How late after its deadline a call may fail: scheduling on this 2-core machine, not the design. */
    private static final long SLACK_MS = 100;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        server = EventLoop.start("deadline-server");
        clients = EventLoop.start("deadline-clients");
        socket = TestSupport.tempSocket("deadline.sock");
        server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest"))
                // Worker threads share one name today: tell them apart by their Java thread id.
                .on("threadName", (p, r) -> r.set("result", Thread.currentThread().getName() + "#" + Thread.currentThread().getId()))
                .on("slow", (p, r) -> {
                    entered.countDown();
                    release.await();
                    r.set("start", 1L).set("end", 2L);
                }));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        clients.close();
        server.close();
        schema.close();
    }

    private Client connect(ConnectOptions options) {
        return clients.connect(socket, schema.interfaceType("ThreadTest"), options);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void blockingCallPastItsTimeoutFailsJustAfterTheDeadline() {
        Client client = connect(ConnectOptions.defaults());
        long start = System.nanoTime();
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> client.call("slow", p -> p.set("millis", 0), Duration.ofMillis(200)));
        long took = millisSince(start);
        assertTrue(took >= 200 && took < 200 + SLACK_MS, "failed after " + took + " ms");
        assertEquals("ThreadTest.slow exceeded its deadline of 200 ms", e.getMessage());
        assertTrue(client.isConnected(), "a deadline fails one call, not the connection");
    }

    @Test
    void theNextCallFromTheSameThreadDoesNotQueueBehindTheAbandonedOne() throws Exception {
        Client client = connect(ConnectOptions.defaults());
        String first = client.call("threadName").getString("result");
        assertThrows(DeadlineExceededException.class, () -> client.call("slow", p -> p.set("millis", 0), Duration.ofMillis(100)));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        // The server thread of this caller is still blocked in slow: the next call gets a fresh one.
        String next = client.call("threadName", p -> {}, Duration.ofSeconds(2)).getString("result");
        assertNotEquals(first, next, "served by a new server thread");
        release.countDown();
        // The abandoned call's late answer is discarded: this thread's next result is its own.
        assertEquals(next, client.call("threadName").getString("result"));
    }

    @Test
    void defaultTimeoutOfTheConnectionAppliesToEveryCall() {
        Client client = connect(ConnectOptions.defaults().withCallTimeout(Duration.ofMillis(150)));
        assertEquals(Duration.ofMillis(150), client.callTimeout().orElseThrow());
        long start = System.nanoTime();
        assertThrows(DeadlineExceededException.class, () -> client.call("slow", p -> p.set("millis", 0)));
        long took = millisSince(start);
        assertTrue(took >= 150 && took < 150 + SLACK_MS, "failed after " + took + " ms");
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.callAsync("slow", p -> p.set("millis", 0)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(DeadlineExceededException.class, async.getCause());
        assertTrue(connect(ConnectOptions.defaults()).callTimeout().isEmpty(), "no timeout unless asked for");
    }

    @Test
    void interruptedCallerGetsCancelledExceptionAndKeepsItsInterruptFlag() throws Exception {
        Client client = connect(ConnectOptions.defaults());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.call("slow", p -> p.set("millis", 0));
            } catch (Throwable e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        }, "interrupted-caller");
        caller.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS), "the call reached the server");
        long start = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);
        assertTrue(!caller.isAlive(), "the interrupted caller returned");
        assertTrue(millisSince(start) < SLACK_MS, "returned " + millisSince(start) + " ms after the interrupt");
        assertInstanceOf(CancelledException.class, thrown.get());
        assertEquals("ThreadTest.slow cancelled: the calling thread was interrupted", thrown.get().getMessage());
        assertTrue(flagKept.get(), "the interrupt flag stays set");
        assertTrue(client.isConnected(), "the client still works");
        assertTrue(!client.call("threadName").getString("result").isEmpty());
    }

    @Test
    void anInterruptedThreadDoesNotSendTheCall() {
        Client client = connect(ConnectOptions.defaults());
        Thread.currentThread().interrupt();
        try {
            CancelledException e = assertThrows(CancelledException.class, () -> client.call("slow", p -> p.set("millis", 0)));
            assertEquals("ThreadTest.slow not called: the calling thread is interrupted", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, entered.getCount(), "the server never saw the call");
    }

    @Test
    void asyncCallPastItsTimeoutFailsTheFuture() throws Exception {
        Client client = connect(ConnectOptions.defaults());
        long start = System.nanoTime();
        CompletableFuture<StructValue> call = client.callAsync("slow", p -> p.set("millis", 0), Duration.ofMillis(200));
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
        long took = millisSince(start);
        assertInstanceOf(DeadlineExceededException.class, e.getCause());
        assertTrue(took >= 200 && took < 200 + SLACK_MS, "failed after " + took + " ms");
    }

    @Test
    void cancelledAsyncCallDoesNotHoldUpTheNextAsyncCall() throws Exception {
        Client client = connect(ConnectOptions.defaults());
        CompletableFuture<StructValue> abandoned = client.callAsync("slow", p -> p.set("millis", 0));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        assertTrue(abandoned.cancel(true));
        long start = System.nanoTime();
        // Async calls share one calling thread; after the cancel it gets a fresh server thread.
        String name = client.callAsync("threadName").get(2, TimeUnit.SECONDS).getString("result");
        assertTrue(millisSince(start) < 1000, "the next async call waited " + millisSince(start) + " ms");
        assertTrue(!name.isEmpty());
        CompletableFuture<StructValue> timedOut = client.callAsync("slow", p -> p.set("millis", 0))
                .orTimeout(100, TimeUnit.MILLISECONDS);
        assertThrows(ExecutionException.class, () -> timedOut.get(5, TimeUnit.SECONDS));
        assertTrue(!client.callAsync("threadName").get(2, TimeUnit.SECONDS).getString("result").isEmpty(),
                "and after orTimeout too");
    }

    @Test
    void timeoutsMustBePositive() {
        Client client = connect(ConnectOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> client.call("threadName", p -> {}, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> client.callAsync("threadName", p -> {}, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.defaults().withCallTimeout(null));
    }
}
