package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A Java handler that throws is logged on {@code dev.mpjava.server} with its exception
 * (so the logging system prints the stack trace), the method and the calling peer, wherever
 * it ran: the loop thread, a handler executor, a Context call's worker.
 */
class HandlerFailureLogTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void handlerThrowingOnTheLoopThreadIsLoggedWithItsStackTraceMethodAndPeer() throws Exception {
        LogRecord record = failAndCapture(TestSupport::calculator, "calc-loop");
        assertFailureRecord(record, "CalcInit.fail");
    }

    @Test
    void handlerThrowingOnAnExecutorThreadIsLoggedWithItsStackTraceMethodAndPeer() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "handler-pool-1"));
        try {
            LogRecord record = failAndCapture(schema -> TestSupport.calculator(schema).handlersOn(executor), "calc-pool");
            assertFailureRecord(record, "CalcInit.fail");
            assertEquals("handler-pool-1", threadOf(record), "logged on the thread that ran the handler");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void contextHandlerThrowingOnItsWorkerIsLoggedWithItsStackTraceMethodAndPeer() throws Exception {
        Path socket = TestSupport.tempSocket("ctx-fail.sock");
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture();
                Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
                EventLoop server = EventLoop.start("ctx-fail");
                EventLoop clients = EventLoop.start("ctx-fail-clients")) {
            server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest")).on("threadName", (p, r) -> {
                throw new IllegalStateException("worker says no");
            }));
            try (Client client = clients.connect(socket, schema.interfaceType("ThreadTest"))) {
                assertThrows(RemoteException.class, () -> client.call("threadName", p -> {}));
            }
            LogRecord record = awaitRecord(jul, "ThreadTest.threadName");
            assertEquals("worker says no", record.getThrown().getMessage());
            assertTrue(record.getMessage().contains("pid " + PID), record.getMessage());
        }
    }

    @Test
    void customLogHandlerGetsTheStackTraceInTheMessage() throws Exception {
        TestSupport.LogCapture log = TestSupport.LogCapture.expecting("IPC server");
        Path socket = TestSupport.tempSocket("custom.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("custom-log", log.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("custom-log-clients")) {
            server.listen(socket, TestSupport.calculator(schema));
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                assertThrows(RemoteException.class, () -> client.call("fail", p -> p.set("message", "boom")));
            }
            waitFor("the handler's failure line", () -> log.contains("IPC server: handler of CalcInit.fail threw"));
            TestSupport.LogCapture.Line line = log.first("IPC server: handler of CalcInit.fail threw");
            assertEquals(LogLevel.ERROR, line.level());
            assertTrue(line.message().contains("java.lang.IllegalStateException: boom"), line.message());
            assertTrue(line.message().contains("at dev.mpjava.TestSupport"), "the handler's frame: " + line.message());
        }
    }

    private interface Served {
        Implementation make(Schema schema);
    }

    /** Serves what {@code served} makes, calls "fail" once, returns the handler's failure record. */
    private static LogRecord failAndCapture(Served served, String name) throws Exception {
        Path socket = TestSupport.tempSocket(name + ".sock");
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture();
                Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start(name);
                EventLoop clients = EventLoop.start(name + "-clients")) {
            server.listen(socket, served.make(schema));
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                RemoteException failed = assertThrows(RemoteException.class,
                        () -> client.call("fail", p -> p.set("message", "the answer is not 42")));
                assertEquals("the answer is not 42", failed.remoteMessage());
                assertEquals(5, client.call("add", p -> p.set("a", 2).set("b", 3)).getInt("result"), "still serving");
            }
            return awaitRecord(jul, "CalcInit.fail");
        }
    }

    private static LogRecord awaitRecord(TestSupport.JulCapture jul, String method) {
        String text = "IPC server: handler of " + method + " threw";
        waitFor("the handler's failure record", () -> jul.records().stream().anyMatch(r -> r.getMessage().contains(text)));
        return jul.first(text);
    }

    private static void assertFailureRecord(LogRecord record, String method) {
        assertEquals("dev.mpjava.server", record.getLoggerName());
        assertEquals(java.util.logging.Level.SEVERE, record.getLevel());
        assertTrue(record.getThrown() instanceof IllegalStateException, String.valueOf(record.getThrown()));
        assertEquals("the answer is not 42", record.getThrown().getMessage());
        boolean handlerFrame = false;
        for (StackTraceElement frame : record.getThrown().getStackTrace()) {
            handlerFrame |= frame.getClassName().startsWith("dev.mpjava.TestSupport");
        }
        assertTrue(handlerFrame, "the stack trace reaches the handler");
        String message = record.getMessage();
        assertTrue(message.contains(method), message);
        assertTrue(message.contains("pid " + PID), "the peer's pid: " + message);
        assertTrue(message.contains("uid "), message);
        assertTrue(message.matches(".*connection [1-9][0-9]*.*"), "the connection id: " + message);
        assertFalse(message.contains("\n"), "the stack trace is the logging system's to print: " + message);
    }

    // The thread name is the record's only when the logger did not add it to the message.
    private static String threadOf(LogRecord record) {
        long id = record.getLongThreadID();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getId() == id).map(Thread::getName)
                .findFirst().orElse("(thread " + id + " has ended)");
    }
}
