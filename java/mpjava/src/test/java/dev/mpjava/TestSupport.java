package dev.mpjava;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared fixtures: the test schemas, temporary socket paths, deadline waits, log capture. */
final class TestSupport {
    static void assertContains(String text, String part) {
        org.junit.jupiter.api.Assertions.assertTrue(text.contains(part), "'" + part + "' in: " + text);
    }

    static final Path SCHEMAS = Path.of(System.getProperty("mpjava.testSchemas", "../../native/test/schemas"));

    private TestSupport() {}

    static Schema calculatorSchema() {
        return Schema.load(SCHEMAS.resolve("calculator.capnp"));
    }

    /** CalcInit served by Java: add, echo, fail (throws), slow (sleeps). */
    static Implementation calculator(Schema schema) {
        return Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")))
                .on("echo", (p, r) -> r.set("result", p.getString("text")))
                .on("fail", (p, r) -> {
                    throw new IllegalStateException(p.getString("message"));
                })
                .on("slow", (p, r) -> {
                    long millis = p.getLong("millis");
                    Thread.sleep(millis);
                    r.set("result", millis);
                });
    }

    /**
     * The Hub of callbacks.capnp served by Java: calculators that print "a+b = sum"
     * through the printer they are given (and close it when destroyed), printers that
     * record into {@code printed}, callbacks called back with +1, raise filling its
     * $Proxy.exception field.
     */
    static Implementation hub(Schema schema, List<String> printed) {
        InterfaceType calculator = schema.interfaceType("Calculator");
        InterfaceType printer = schema.interfaceType("Printer");
        return Implementation.of(schema.interfaceType("Hub"))
                .on("makeCalculator", (p, r) -> {
                    Client out = p.getClient("printer");
                    r.set("result", Implementation.of(calculator)
                            .on("solve", (q, s) -> {
                                long sum = q.getLong("a") + q.getLong("b");
                                out.call("print", t -> t.set("text", q.getLong("a") + "+" + q.getLong("b") + " = " + sum));
                                s.set("result", sum);
                            })
                            .onClose(out::close));
                })
                .on("makePrinter", (p, r) -> r.set("result", Implementation.of(printer)
                        .on("print", (q, s) -> printed.add("hub: " + q.getString("text")))))
                .on("raise", (p, r) -> {
                    if (!p.getString("name").isEmpty()) {
                        r.setStruct("error", e -> e.set("name", p.getString("name")).set("code", 7));
                    }
                })
                .on("callback", (p, r) -> {
                    try (Client cb = p.getClient("cb")) {
                        r.set("result", cb.call("call", q -> q.set("arg", p.getInt("arg"))).getInt("result") + 1);
                    }
                });
    }

    /**
     * A socket path in a fresh temporary directory; the socket file and the directory are
     * deleted when the JVM exits (deleteOnExit runs in reverse order: file, then directory).
     */
    static Path tempSocket(String name) {
        try {
            Path dir = Files.createTempDirectory("mpjava-test");
            Path socket = dir.resolve(name);
            dir.toFile().deleteOnExit();
            socket.toFile().deleteOnExit();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. */
    static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    static void waitFor(String what, BooleanSupplier condition) {
        waitFor(what, Duration.ofSeconds(10), condition);
    }

    /** A task run by one of several caller threads; {@code id} is the thread's index. */
    interface CallerTask {
        void run(int id) throws Exception;
    }

    /** Runs {@code task} on {@code count} threads named caller-N; fails with the first error or a hang. */
    static void runCallers(int count, CallerTask task) throws InterruptedException {
        Thread[] threads = new Thread[count];
        Throwable[] errors = new Throwable[count];
        for (int t = 0; t < count; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    task.run(id);
                } catch (Throwable e) {
                    errors[id] = e;
                }
            }, "caller-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            if (t.isAlive()) fail(t.getName() + " still running after 30 s");
        }
        for (Throwable e : errors) {
            if (e != null) throw new AssertionError("a caller failed", e);
        }
    }

    /** The kernel's names of this process's threads (/proc/self/task/N/comm). */
    static List<String> nativeThreadNames() {
        List<String> names = new ArrayList<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Records what goes to the java.util.logging logger "dev.mpjava" (System.Logger) instead
     * of printing it, until closed: for tests whose errors are expected.
     */
    static final class JulCapture extends java.util.logging.Handler implements AutoCloseable {
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.mpjava");
        private final java.util.logging.Level oldLevel = logger.getLevel();
        private final boolean oldUseParents = logger.getUseParentHandlers();
        private final List<java.util.logging.LogRecord> records = new ArrayList<>();

        JulCapture() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public synchronized void publish(java.util.logging.LogRecord record) {
            record.getSourceClassName();  // inferred from the stack of the logging thread, so now
            records.add(record);
        }

        synchronized List<java.util.logging.LogRecord> records() {
            return new ArrayList<>(records);
        }

        /** The first record whose message contains {@code text}; fails if there is none. */
        synchronized java.util.logging.LogRecord first(String text) {
            return records.stream().filter(r -> r.getMessage().contains(text)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log record with '" + text + "' in " + records.stream()
                            .map(java.util.logging.LogRecord::getMessage).toList()));
        }

        /** Sets the level of "dev.mpjava" (restored at close) and of this capture. */
        void level(java.util.logging.Level level) {
            logger.setLevel(level);
            setLevel(level);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(oldUseParents);
            logger.setLevel(oldLevel);
        }
    }

    /** A log handler that records everything it gets. */
    static final class LogCapture implements LogHandler {
        record Line(LogLevel level, String thread, String message) {}

        private final List<Line> lines = new ArrayList<>();
        private final List<String> expected;
        private final LogHandler others = LogHandler.systemLogger();

        LogCapture() {
            this.expected = null;
        }

        private LogCapture(List<String> expected) {
            this.expected = expected;
        }

        /**
         * For a loop whose test provokes errors: records everything, and passes on to
         * System.Logger (so they still print) the WARNING+ lines that contain none of
         * {@code texts}: only the expected errors are kept quiet.
         */
        static LogCapture expecting(String... texts) {
            return new LogCapture(List.of(texts));
        }

        @Override
        public void log(LogLevel level, String thread, String message) {
            synchronized (this) {
                lines.add(new Line(level, thread, message));
            }
            if (expected != null && level.compareTo(LogLevel.WARNING) >= 0 && expected.stream().noneMatch(message::contains)) {
                others.log(level, thread, message);
            }
        }

        synchronized List<Line> lines() {
            return new ArrayList<>(lines);
        }

        synchronized boolean contains(String text) {
            return lines.stream().anyMatch(l -> l.message().contains(text));
        }

        synchronized Line first(String text) {
            return lines.stream().filter(l -> l.message().contains(text)).findFirst().orElse(null);
        }

        synchronized long count(String text) {
            return lines.stream().filter(l -> l.message().contains(text)).count();
        }

        synchronized String dump() {
            StringBuilder out = new StringBuilder();
            for (Line l : lines) out.append(l.level()).append(' ').append(l.thread()).append(": ").append(l.message()).append('\n');
            return out.toString();
        }

        LogOptions options(LogLevel min) {
            return LogOptions.defaults().handler(this).minLevel(min);
        }
    }
}
