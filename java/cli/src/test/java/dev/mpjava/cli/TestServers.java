package dev.mpjava.cli;

import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.InterfaceType;
import dev.mpjava.LogHandler;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Schema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real servers for the CLI to talk to, on Unix sockets in a temporary directory: the
 * test schemas of native/test/schemas served by Java implementations, and a runner of
 * the CLI's command line that captures stdout and stderr.
 */
final class TestServers implements AutoCloseable {
    static final Path SCHEMAS = Path.of(System.getProperty("mpjava.testSchemas", "../../native/test/schemas"));
    static final Path CALCULATOR = SCHEMAS.resolve("calculator.capnp");
    static final Path ECHO = SCHEMAS.resolve("echo.capnp");
    static final Path CALLBACKS = SCHEMAS.resolve("callbacks.capnp");

    /** What the CLI returned and printed. */
    record Run(int exitCode, String out, String err) {}

    private final Path dir;
    private final EventLoop loop;
    private final List<Schema> schemas = new ArrayList<>();
    private final List<String> serverLog = new ArrayList<>();  // guarded by itself
    /** Calls of Echo.destroy: the CLI destroys what it received before it exits. */
    final AtomicInteger echoesDestroyed = new AtomicInteger();

    /** The server log is recorded, not printed: the tests provoke handler failures on purpose. */
    TestServers() {
        try {
            dir = Files.createTempDirectory("mpjava-cli-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LogHandler record = (level, thread, message) -> {
            synchronized (serverLog) {
                serverLog.add(level + " " + message);
            }
        };
        loop = EventLoop.start("test-server", LogOptions.defaults().minLevel(LogLevel.INFO).handler(record));
    }

    /** CalcInit: add, echo, fail (throws its message), slow (sleeps). */
    Path calculator() {
        Schema schema = load(CALCULATOR);
        Implementation calc = Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")))
                .on("echo", (p, r) -> r.set("result", p.getString("text")))
                .on("fail", (p, r) -> {
                    throw new IllegalStateException(p.getString("message"));
                })
                .on("slow", (p, r) -> {
                    Thread.sleep(p.getLong("millis"));
                    r.set("result", p.getLong("millis"));
                });
        return listen("calc.sock", calc);
    }

    /** Init of echo.capnp: makeEcho returns an Echo (Context methods, destroy counted). */
    Path echo() {
        Schema schema = load(ECHO);
        InterfaceType echo = schema.interfaceType("Echo");
        Implementation init = Implementation.of(schema.interfaceType("Init"))
                .on("makeEcho", (p, r) -> r.set("result", Implementation.of(echo)
                        .on("echo", (q, s) -> s.set("result", q.getString("echo")))
                        .on("destroy", (q, s) -> echoesDestroyed.incrementAndGet())));
        return listen("echo.sock", init);
    }

    /** Hub of callbacks.capnp: raise fills its $Proxy.exception field when given a name. */
    Path hub() {
        Schema schema = load(CALLBACKS);
        Implementation hub = Implementation.of(schema.interfaceType("Hub"))
                .on("raise", (p, r) -> {
                    if (!p.getString("name").isEmpty()) {
                        r.setStruct("error", e -> e.set("name", p.getString("name")).set("code", 7));
                    }
                });
        return listen("hub.sock", hub);
    }

    /** A path in this fixture's directory where nothing listens. */
    Path nowhere() {
        return dir.resolve("nobody-here.sock");
    }

    List<String> serverLog() {
        synchronized (serverLog) {
            return new ArrayList<>(serverLog);
        }
    }

    private Schema load(Path file) {
        Schema schema = Schema.load(file);
        schemas.add(schema);
        return schema;
    }

    private Path listen(String name, Implementation implementation) {
        Path socket = dir.resolve(name);
        loop.listen(socket, implementation);
        return socket;
    }

    /** Runs {@code mpjava args...} in this JVM, as picocli's execute does for main. */
    static Run cli(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) strings[i] = String.valueOf(args[i]);
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(strings);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws IOException {
        loop.close();
        for (Schema schema : schemas) schema.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }
}
