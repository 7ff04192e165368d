package dev.mpjava.codegen;

import dev.mpjava.ConnectOptions;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.Listener;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server loop and a client loop, and Unix sockets in a fresh directory: what the live
 * tests of generated code serve typed servers on and connect typed clients to.
 */
final class Live implements AutoCloseable {
    /** Every call of a test client gives up after this, so a broken test fails instead of hanging. */
    static final ConnectOptions OPTIONS = ConnectOptions.defaults().withCallTimeout(Duration.ofSeconds(20));

    /** What the server loop logged at WARNING and above: tests that make a handler fail assert it here. */
    final List<String> serverLog = new CopyOnWriteArrayList<>();
    final EventLoop server = EventLoop.start("gen-server",
            LogOptions.defaults().minLevel(LogLevel.WARNING).handler((level, thread, message) -> serverLog.add(message)));
    final EventLoop clients = EventLoop.start("gen-clients", LogOptions.defaults().minLevel(LogLevel.WARNING));
    private final Path dir;
    private final List<Listener> listeners = new ArrayList<>();
    private int next;

    Live() throws IOException {
        dir = Files.createTempDirectory("mpjava-gen");
    }

    /** Listens on a new socket with this implementation; returns the socket. */
    Path serve(Implementation implementation) {
        Path socket = dir.resolve("s" + next++ + ".sock");
        listeners.add(server.listen(socket, implementation));
        return socket;
    }

    @Override
    public void close() throws IOException {
        for (Listener l : listeners) l.close();
        clients.close();
        server.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }
}
