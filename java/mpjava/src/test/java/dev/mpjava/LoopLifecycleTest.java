package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting, serving on fds, and closing loops with work in flight. */
class LoopLifecycleTest {
    /** Client loops of tests that stop their server on purpose: the client logs the disconnect. */
    private static LogOptions peerGoneLog() {
        return TestSupport.LogCapture.expecting("IPC client: unexpected network disconnect.", "IPC client: construct failed")
                .options(LogLevel.INFO);
    }

    @Test
    void serveStreamAndConnectStreamOnSocketPair() {
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("pair-server");
                EventLoop clients = EventLoop.start("pair-client")) {
            int[] fds = Sockets.pair();
            Listener served = server.serve(fds[0], TestSupport.calculator(schema));
            Client client = clients.connect(fds[1], schema.interfaceType("CalcInit"));
            assertEquals("héllo wörld", client.call("echo", p -> p.set("text", "héllo wörld")).getString("result"));
            assertEquals(1, served.activeConnections());
            client.close();
            TestSupport.waitFor("the served connection to end", () -> served.activeConnections() == 0);
        }
    }

    @Test
    void closingServerLoopLetsRunningHandlerFinishThenDisconnectsClient() throws Exception {
        Path socket = TestSupport.tempSocket("inflight.sock");
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop clients = EventLoop.start("clients", peerGoneLog())) {
            EventLoop server = EventLoop.start("server");
            CountDownLatch started = new CountDownLatch(1);
            server.listen(socket, TestSupport.calculator(schema).on("slow", (p, r) -> {
                started.countDown();
                Thread.sleep(p.getLong("millis"));
                r.set("result", p.getLong("millis"));
            }));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(2, client.call("add", p -> p.set("a", 1).set("b", 1)).getInt("result"));
            CompletableFuture<StructValue> slow = client.callAsync("slow", p -> p.set("millis", 300));
            assertTrue(started.await(10, TimeUnit.SECONDS), "the slow call reached the server");
            server.close();  // the running handler finishes and answers, then the connection goes
            assertEquals(300, slow.get(10, TimeUnit.SECONDS).getLong("result"));
            TestSupport.waitFor("the client to notice the disconnect", () -> !client.isConnected());
            DisconnectedException after = assertThrows(DisconnectedException.class,
                    () -> client.call("add", p -> p.set("a", 1).set("b", 1)));
            assertTrue(after.getMessage().contains("IPC client method called after disconnect."), after.getMessage());
        }
    }

    @Test
    void callInFlightFailsPromptlyWhenPeerDisconnects() throws Exception {
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop clients = EventLoop.start("clients", peerGoneLog())) {
            int[] fds = Sockets.pair();  // fds[0] plays a peer that never answers, then vanishes
            Client client = clients.connect(fds[1], schema.interfaceType("CalcInit"));
            CompletableFuture<StructValue> pending = client.callAsync("add", p -> p.set("a", 1).set("b", 1));
            assertFalse(pending.isDone());
            Sockets.close(fds[0]);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof DisconnectedException, String.valueOf(failed.getCause()));
            // Interrupted in flight, or refused if the disconnect was seen before the send.
            String message = failed.getCause().getMessage();
            assertTrue(message.contains("IPC client method call interrupted by disconnect.")
                    || message.contains("IPC client method called after disconnect."), message);
            TestSupport.waitFor("the client to notice the disconnect", () -> !client.isConnected());
        }
    }

    @Test
    void closingClientLoopFailsPendingAsyncCallsAndLeavesHandlesSafe() throws Exception {
        Path socket = TestSupport.tempSocket("pending.sock");
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop server = EventLoop.start("server")) {
            server.listen(socket, TestSupport.calculator(schema));
            EventLoop clients = EventLoop.start("clients", peerGoneLog());
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            CompletableFuture<StructValue> pending = client.callAsync("slow", p -> p.set("millis", 500));
            assertTimeoutPreemptively(Duration.ofSeconds(10), clients::close);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof IpcException, String.valueOf(failed.getCause()));
            assertFalse(client.isConnected());
            assertThrows(ClosedException.class, () -> client.call("add", p -> p.set("a", 1).set("b", 1)));
            client.close();   // after its loop: a no-op, not a crash
            clients.close();  // idempotent
            assertThrows(ClosedException.class, () -> clients.connect(socket, schema.interfaceType("CalcInit")));
        }
    }

    @Test
    void blockingCallOnItsOwnLoopThreadIsRefusedNotDeadlocked() throws Exception {
        Path socket = TestSupport.tempSocket("self.sock");
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop loop = EventLoop.start("self", TestSupport.LogCapture.expecting("blocking call on the event loop thread").options(LogLevel.INFO))) {
            Client[] self = new Client[1];
            Implementation impl = Implementation.of(schema.interfaceType("CalcInit"))
                    .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")))
                    .on("echo", (p, r) -> r.set("result", String.valueOf(self[0].call("add", q -> q.set("a", 1).set("b", 2)))));
            loop.listen(socket, impl);
            self[0] = loop.connect(socket, schema.interfaceType("CalcInit"));
            try (EventLoop other = EventLoop.start("other")) {
                Client caller = other.connect(socket, schema.interfaceType("CalcInit"));
                RemoteException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThrows(RemoteException.class, () -> caller.call("echo", p -> p.set("text", "x"))));
                assertTrue(refused.reason().contains("deadlock"), refused.reason());
                assertEquals(3, caller.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            }
        }
    }

    @Test
    void closingALoopFromItsOwnThreadClosesItWithoutDeadlock() throws Exception {
        Path socket = TestSupport.tempSocket("selfclose.sock");
        NativeStats before = NativeStats.snapshot();
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop clients = EventLoop.start("clients", peerGoneLog())) {
            EventLoop[] server = new EventLoop[1];
            server[0] = EventLoop.start("selfclose");
            Listener listener = server[0].listen(socket, TestSupport.calculator(schema).on("echo", (p, r) -> {
                server[0].close();  // on the loop thread: closes everything, the thread stops after this call
                r.set("result", "closed");
            }));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            // The closing call's own answer may still go out before the thread stops.
            String answer = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    return client.call("echo", p -> p.set("text", "x")).getString("result");
                } catch (DisconnectedException e) {
                    return "disconnected";
                }
            });
            assertTrue(answer.equals("closed") || answer.equals("disconnected"), answer);
            assertFalse(server[0].isOpen());
            TestSupport.waitFor("the client to see the server go", () -> !client.isConnected());
            assertThrows(DisconnectedException.class, () -> client.call("add", p -> p.set("a", 1).set("b", 1)));
            assertThrows(ClosedException.class, listener::activeConnections);
            assertThrows(ClosedException.class, () -> server[0].log(LogLevel.INFO, "after close"));
            TestSupport.waitFor("the closed loop's thread to be released",
                    () -> NativeStats.snapshot().liveLoops() == before.liveLoops() + 1);
        }
    }

    @Test
    void manyThreadsCallOneClientConcurrently() throws Exception {
        Path socket = TestSupport.tempSocket("many.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("server");
                EventLoop clients = EventLoop.start("clients", peerGoneLog())) {
            server.listen(socket, TestSupport.calculator(schema));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            TestSupport.runCallers(8, id -> {
                for (int i = 0; i < 200; i++) {
                    int a = i;
                    int r = client.call("add", p -> p.set("a", a).set("b", id)).getInt("result");
                    if (r != a + id) throw new AssertionError("wrong result " + r);
                }
            });
        }
    }
}
