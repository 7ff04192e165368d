package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * At TRACE, both sides log each call's params and results with their values, as upstream's
 * trace does ("send data: …", "request data: …"), cut at {@link LogOptions#maxChars()};
 * below TRACE they are not even formatted.
 */
class TraceLogTest {
    @Test
    void traceLinesShowParamAndResultValuesOnClientAndServer() {
        TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
        TestSupport.LogCapture clientLog = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("trace.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("trace-server", serverLog.options(LogLevel.TRACE));
                EventLoop clients = EventLoop.start("trace-clients", clientLog.options(LogLevel.TRACE))) {
            server.listen(socket, TestSupport.calculator(schema));
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                assertEquals(6912, client.call("add", p -> p.set("a", 1234).set("b", 5678)).getInt("result"));
            }
            waitFor("the server's response line", () -> serverLog.contains("IPC server response data: (result = 6912)"));
        }
        assertLine(clientLog, LogLevel.DEBUG, "IPC client send CalcInit.add$Params");
        assertLine(clientLog, LogLevel.TRACE, "IPC client send data: (a = 1234, b = 5678)");
        assertLine(clientLog, LogLevel.DEBUG, "IPC client recv CalcInit.add$Results");
        assertLine(clientLog, LogLevel.TRACE, "IPC client recv data: (result = 6912)");
        assertLine(serverLog, LogLevel.TRACE, "IPC server request data: (a = 1234, b = 5678)");
        assertLine(serverLog, LogLevel.TRACE, "IPC server response data: (result = 6912)");
    }

    @Test
    void traceLinesAreCutAtMaxChars() {
        TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
        TestSupport.LogCapture clientLog = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("trace-cut.sock");
        String text = "0123456789".repeat(50);
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("cut-server", serverLog.options(LogLevel.TRACE).maxChars(60));
                EventLoop clients = EventLoop.start("cut-clients", clientLog.options(LogLevel.TRACE).maxChars(60))) {
            server.listen(socket, TestSupport.calculator(schema));
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                assertEquals(text, client.call("echo", p -> p.set("text", text)).getString("result"));
            }
            waitFor("the server's response line", () -> serverLog.contains("IPC server response data: "));
        }
        for (String prefix : new String[] {"IPC client send data: (text = \"0123", "IPC client recv data: (result = \"0123"}) {
            TestSupport.LogCapture.Line line = clientLog.first(prefix);
            assertNotNull(line, clientLog.dump());
            assertEquals(63, line.message().length(), "60 characters and '...': " + line.message());
            assertTrue(line.message().endsWith("..."), line.message());
        }
        TestSupport.LogCapture.Line request = serverLog.first("IPC server request data: (text = \"0123");
        assertNotNull(request, serverLog.dump());
        assertEquals(63, request.message().length(), request.message());
    }

    @Test
    void noTraceOrDebugCallLinesBelowThoseLevels() {
        TestSupport.LogCapture serverLog = new TestSupport.LogCapture();
        TestSupport.LogCapture clientLog = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("trace-off.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("off-server", serverLog.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("off-clients", clientLog.options(LogLevel.INFO))) {
            server.listen(socket, TestSupport.calculator(schema));
            try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                assertEquals(3, client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            }
        }
        assertFalse(clientLog.contains("data:") || clientLog.contains("IPC client send"), clientLog.dump());
        assertFalse(serverLog.contains("data:"), serverLog.dump());
    }

    @Test
    void traceLevelInTheLoggingConfigurationIsEnoughForValueLines() throws Exception {
        Path socket = TestSupport.tempSocket("trace-jul.sock");
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            jul.level(Level.FINEST);  // what "dev.mpjava.level = FINEST" in logging.properties does
            try (Schema schema = TestSupport.calculatorSchema();
                    EventLoop server = EventLoop.start("jul-server");
                    EventLoop clients = EventLoop.start("jul-clients")) {
                server.listen(socket, TestSupport.calculator(schema));
                try (Client client = clients.connect(socket, schema.interfaceType("CalcInit"))) {
                    assertEquals(42, client.call("add", p -> p.set("a", 40).set("b", 2)).getInt("result"));
                }
                waitFor("the server's response record",
                        () -> jul.records().stream().anyMatch(r -> r.getMessage().startsWith("IPC server response data")));
            }
            LogRecord sent = jul.first("IPC client send data: (a = 40, b = 2)");
            assertEquals("dev.mpjava.client", sent.getLoggerName());
            assertEquals(Level.FINER, sent.getLevel(), "System.Logger TRACE is FINER in java.util.logging");
            assertEquals("dev.mpjava.server", jul.first("IPC server request data: (a = 40, b = 2)").getLoggerName());
        }
    }

    private static void assertLine(TestSupport.LogCapture log, LogLevel level, String text) {
        TestSupport.LogCapture.Line line = log.first(text);
        assertNotNull(line, "no line '" + text + "' in\n" + log.dump());
        assertEquals(level, line.level(), text);
    }
}
