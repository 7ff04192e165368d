package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Native log messages reach Java handlers from the loop thread, a native thread the JVM did
 * not create (attached on its first message), and a broken handler harms nothing.
 */
class LogBridgingTest {
    @Test
    void loopThreadMessagesReachHandlerWithUpstreamTextsAndLoopThreadName() throws Exception {
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("log.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("logsrv", log.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("logcli")) {
            server.listen(socket, TestSupport.calculator(schema));
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(3, client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            client.close();
            waitFor("the disconnect log line", () -> log.contains("IPC server: socket disconnected."));
            TestSupport.LogCapture.Line connected = log.first("IPC server: socket connected.");
            assertNotNull(connected, log.dump());
            assertEquals(LogLevel.INFO, connected.level());
            assertEquals("mpjava-loop-logsrv", connected.thread());
        }
        assertTrue(log.contains("EventLoop::loop bye."), log.dump());
    }

    @Test
    void levelFilterDropsLowerLevelsBeforeTheyReachJava() {
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        try (EventLoop loop = EventLoop.start("filter", log.options(LogLevel.WARNING))) {
            loop.log(LogLevel.DEBUG, "debug dropped");
            loop.log(LogLevel.INFO, "info dropped");
            loop.log(LogLevel.WARNING, "warning kept");
            loop.log(LogLevel.ERROR, "error kept");
        }
        assertFalse(log.contains("dropped"), log.dump());
        assertTrue(log.contains("warning kept"));
        assertTrue(log.contains("error kept"));
        assertFalse(log.contains("EventLoop::loop bye."), "INFO lines of the loop itself are filtered too");
    }

    @Test
    void longMessagesAreCutAtMaxChars() {
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        try (EventLoop loop = EventLoop.start("cut", log.options(LogLevel.INFO).maxChars(10))) {
            loop.log(LogLevel.INFO, "0123456789abcdefghij");
        }
        assertTrue(log.contains("0123456789..."), log.dump());
        assertFalse(log.contains("abcdef"));
    }

    @Test
    void throwingHandlerNeitherCrashesNorWedgesTheLoop() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        LogHandler throwing = (level, thread, message) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("handler is broken");
        };
        Path socket = TestSupport.tempSocket("throw.sock");
        TestSupport.JulCapture jul = new TestSupport.JulCapture();  // the Dispatcher's warnings about it
        try (jul;
                Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("throwing", LogOptions.defaults().handler(throwing).minLevel(LogLevel.TRACE));
                EventLoop clients = EventLoop.start("clients")) {
            server.listen(socket, TestSupport.calculator(schema));
            for (int i = 0; i < 5; i++) {
                int a = i;
                try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                    assertEquals(a + 1, client.call("add", p -> p.set("a", a).set("b", 1)).getInt("result"));
                }
            }
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                assertEquals(42, client.call("add", p -> p.set("a", 40).set("b", 2)).getInt("result"), "still serving");
            }
        }
        assertTrue(attempts.get() > 10, "the handler was called for every message: " + attempts.get());
        // The first few failures of the JVM are reported (as WARNING, with the exception), the rest dropped.
        for (LogRecord r : jul.records()) {
            assertEquals("mpjava log handler threw; message dropped", r.getMessage());
            assertEquals("handler is broken", r.getThrown().getMessage());
        }
    }

    @Test
    void defaultHandlerSendsEachLineToItsComponentsLoggerNamingTheThreadOnce() throws Exception {
        Path socket = TestSupport.tempSocket("components.sock");
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            jul.level(java.util.logging.Level.INFO);
            try (Schema schema = TestSupport.calculatorSchema();
                    EventLoop server = EventLoop.start("components");
                    EventLoop clients = EventLoop.start("components-clients")) {
                server.listen(socket, TestSupport.calculator(schema));
                try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                    assertEquals(3, client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
                }
                waitFor("the disconnect line", () -> jul.records().stream()
                        .anyMatch(r -> r.getMessage().equals("IPC server: socket disconnected.")));
                server.log(LogLevel.WARNING, "from a Java thread");
            }
            LogRecord connected = jul.first("IPC server: socket connected.");
            assertEquals("dev.mpjava.server", connected.getLoggerName());
            assertEquals("IPC server: socket connected.", connected.getMessage(), "the thread is not repeated in the text");
            assertEquals("dev.mpjava.SystemLoggerHandler", connected.getSourceClassName());
            assertEquals("dev.mpjava.loop", jul.first("EventLoop::loop bye.").getLoggerName());
            LogRecord fromJava = jul.first("from a Java thread");
            assertEquals("dev.mpjava.protocol", fromJava.getLoggerName());
            assertEquals("from a Java thread", fromJava.getMessage(), "the record's own thread is the one that logged it");
        }
    }

    @Test
    void defaultMinimumLevelFollowsTheConfiguredLoggers() {
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            jul.level(java.util.logging.Level.FINEST);
            assertEquals(LogLevel.TRACE, LogOptions.defaults().minLevel(), "TRACE on in the logging configuration");
            jul.level(java.util.logging.Level.INFO);
            assertEquals(LogLevel.INFO, LogOptions.defaults().minLevel());
            jul.level(java.util.logging.Level.WARNING);
            assertEquals(LogLevel.WARNING, LogOptions.defaults().minLevel());
            java.util.logging.Logger.getLogger("dev.mpjava.server").setLevel(java.util.logging.Level.FINE);
            try {
                assertEquals(LogLevel.DEBUG, LogOptions.defaults().minLevel(), "one component at FINE is enough");
                try (EventLoop loop = EventLoop.start("follows")) {
                    loop.log(LogLevel.TRACE, "IPC server: filtered natively");
                    loop.log(LogLevel.DEBUG, "IPC server: passed on");
                }
            } finally {
                java.util.logging.Logger.getLogger("dev.mpjava.server").setLevel(null);
            }
            assertTrue(jul.records().stream().noneMatch(r -> r.getMessage().contains("filtered natively")));
            assertTrue(jul.records().stream().anyMatch(r -> r.getMessage().contains("passed on")));
        }
    }

    @Test
    void defaultHandlerWritesToSystemLogger() throws Exception {
        List<String> records = new ArrayList<>();
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            try (EventLoop loop = EventLoop.start("default")) {
                loop.log(LogLevel.WARNING, "through System.Logger");
            }
            for (LogRecord r : jul.records()) records.add(r.getMessage());
        }
        assertTrue(records.stream().anyMatch(r -> r.contains("through System.Logger")), records.toString());
    }
}
