package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** How failures reach the caller: remote handler errors, bad results, bad calls, lost servers. */
class ErrorHandlingTest extends CalculatorPeers {

    @Test
    void handlerExceptionFailsTheCallWithJavaClassAndMessageAndServerKeepsServing() {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        RemoteException failed = assertThrows(RemoteException.class,
                () -> client.call("fail", p -> p.set("message", "the answer is nöt 42")));
        assertEquals(RemoteException.Type.FAILED, failed.type());
        assertFalse(failed instanceof DisconnectedException);
        assertTrue(failed.reason().contains("the answer is nöt 42"), failed.reason());
        assertTrue(failed.reason().contains("java.lang.IllegalStateException"), failed.reason());
        assertFalse(failed.reason().startsWith("remote exception: "), "the prefix is stripped: " + failed.reason());
        assertEquals("java.lang.IllegalStateException", failed.remoteType());
        assertEquals("the answer is nöt 42", failed.remoteMessage());

        assertEquals(5, sum(client, 2, 3), "the same connection keeps working");
        assertTrue(client.isConnected());
        Client second = connect();
        assertEquals(9, sum(second, 4, 5), "a new client is served too");

        waitFor("the server's error log line", () -> serverLog.contains("IPC server unhandled exception"));
        TestSupport.LogCapture.Line line = serverLog.first("IPC server unhandled exception");
        assertEquals(LogLevel.ERROR, line.level());
        assertTrue(line.message().contains("the answer is nöt 42"), line.message());
    }

    @Test
    void handlerResultOfTheWrongTypeFailsTheCallNamingTheField() {
        server.listen(socket, Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> r.set("result", "not a number"))
                .on("echo", (p, r) -> r.set("bogus", p.getString("text"))));
        Client client = connect();
        RemoteException wrongType = assertThrows(RemoteException.class, () -> sum(client, 1, 2));
        assertEquals(RemoteException.Type.FAILED, wrongType.type());
        assertTrue(wrongType.reason().contains("add$Results.result"), wrongType.reason());
        assertTrue(wrongType.reason().contains("Int32"), wrongType.reason());

        RemoteException unknown = assertThrows(RemoteException.class, () -> client.call("echo", p -> p.set("text", "x")));
        assertEquals(RemoteException.Type.FAILED, unknown.type());
        assertTrue(unknown.reason().contains("no field 'bogus'"), unknown.reason());
        assertTrue(client.isConnected(), "a bad result fails one call, not the connection");
    }

    @Test
    void methodWithoutHandlerFailsAsNotImplemented() {
        server.listen(socket, Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b"))));
        Client client = connect();
        RemoteException missing = assertThrows(RemoteException.class, () -> client.call("echo", p -> p.set("text", "x")));
        assertEquals(RemoteException.Type.FAILED, missing.type());
        assertTrue(missing.reason().contains("not implemented"), missing.reason());
        assertTrue(missing.reason().contains("CalcInit.echo"), missing.reason());
        assertEquals(3, sum(client, 1, 2));
    }

    @Test
    void unknownMethodNameIsRejectedLocallyListingTheMethods() {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.call("multiply"));
        assertTrue(e.getMessage().contains("multiply"), e.getMessage());
        assertTrue(e.getMessage().contains("construct, add, echo, fail, slow"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.callAsync("multiply"));
        assertThrows(IllegalArgumentException.class,
                () -> Implementation.of(schema.interfaceType("CalcInit")).on("multiply", (p, r) -> {}));
        assertEquals(3, sum(client, 1, 2));
    }

    @Test
    void unknownParamsFieldIsRejectedNamingTheField() {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.call("add", p -> p.set("a", 1).set("c", 2)));
        assertTrue(e.getMessage().contains("no field 'c'"), e.getMessage());
        assertTrue(e.getMessage().contains("add$Params"), e.getMessage());
        assertTrue(e.getMessage().contains("a, b"), "known fields listed: " + e.getMessage());
        // callAsync builds the params on the loop thread: the future fails instead.
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.callAsync("add", p -> p.set("c", 2)).get(10, TimeUnit.SECONDS));
        assertTrue(async.getCause() instanceof IllegalArgumentException, String.valueOf(async.getCause()));
        assertTrue(async.getCause().getMessage().contains("no field 'c'"), async.getCause().getMessage());
        assertEquals(3, sum(client, 1, 2));
    }

    @Test
    void paramsValueOfTheWrongTypeIsRejectedLocally() {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> client.call("add", p -> p.set("a", "one").set("b", 2)));
        assertTrue(text.getMessage().contains("add$Params.a"), text.getMessage());
        assertTrue(text.getMessage().contains("expected Int32"), text.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> client.call("echo", p -> p.set("text", 12)));
        assertTrue(number.getMessage().contains("echo$Params.text"), number.getMessage());
        IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
                () -> client.call("echo", p -> p.set("text", new Object())));
        assertTrue(unsupported.getMessage().contains("unsupported Java type"), unsupported.getMessage());
        assertEquals("ok", client.call("echo", p -> p.set("text", "ok")).getString("result"));
    }

    @Test
    void callAfterServerLoopClosedFailsWithDisconnected() {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        assertEquals(3, sum(client, 1, 2));
        server.close();
        waitFor("the client to notice the server is gone", () -> !client.isConnected());
        DisconnectedException e = assertThrows(DisconnectedException.class, () -> sum(client, 1, 2));
        assertEquals(RemoteException.Type.DISCONNECTED, e.type());
        assertTrue(e.getMessage().contains("disconnect"), e.getMessage());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.callAsync("add", p -> p.set("a", 1).set("b", 2)).get(10, TimeUnit.SECONDS));
        assertTrue(async.getCause() instanceof DisconnectedException, String.valueOf(async.getCause()));
    }

    @Test
    void asyncCallOfFailingHandlerCompletesExceptionallyWithRemoteException() throws Exception {
        server.listen(socket, TestSupport.calculator(schema));
        Client client = connect();
        CompletableFuture<StructValue> call = client.callAsync("fail", p -> p.set("message", "async boom"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RemoteException, String.valueOf(e.getCause()));
        RemoteException remote = (RemoteException) e.getCause();
        assertEquals(RemoteException.Type.FAILED, remote.type());
        assertTrue(remote.reason().contains("async boom"), remote.reason());
        assertEquals(7, client.callAsync("add", p -> p.set("a", 3).set("b", 4)).get(10, TimeUnit.SECONDS).getInt("result"));
    }

    @Test
    void callInFlightOnSlowWorkerThreadFailsPromptlyWhenServerLoopCloses() throws Exception {
        // threads.capnp's threadName takes a Proxy.Context, so its handler runs on a worker
        // thread and the server loop itself stays free to close while the handler hangs.
        try (Schema threads = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"))) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.listen(socket, Implementation.of(threads.interfaceType("ThreadTest"))
                    .on("threadName", (p, r) -> {
                        started.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        r.set("result", Thread.currentThread().getName());
                    })
                    .on("loopThreadName", (p, r) -> r.set("result", Thread.currentThread().getName())));
            Client client = clients.connect(socket, threads.interfaceType("ThreadTest"));
            assertTrue(client.call("loopThreadName").getString("result").startsWith("mpjava-loop"));
            CompletableFuture<StructValue> blocked = CompletableFuture.supplyAsync(() -> client.call("threadName"));
            Thread closer = new Thread(server::close, "server-closer");
            try {
                assertTrue(started.await(10, TimeUnit.SECONDS), "the slow call reached the worker thread");
                closer.start();
                long closedAt = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(5, TimeUnit.SECONDS),
                        "the in-flight call must fail within seconds of the close, not wait for the handler");
                assertTrue(e.getCause() instanceof DisconnectedException, String.valueOf(e.getCause()));
                assertTrue(e.getCause().getMessage().contains("interrupted by disconnect"), e.getCause().getMessage());
                assertTrue(System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(5));
                waitFor("the client to notice the disconnect", () -> !client.isConnected());
                assertThrows(DisconnectedException.class, () -> client.call("loopThreadName"));
            } finally {
                release.countDown();
            }
            // close() itself returns once the running handler has finished.
            closer.join(10_000);
            assertFalse(closer.isAlive(), "server loop close did not return after the handler finished");
            assertNotNull(serverLog.first("EventLoop::loop bye."), serverLog.dump());
        }
    }
}
