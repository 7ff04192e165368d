package dev.mpjava.demo;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.InterfaceType;
import dev.mpjava.ListenOptions;
import dev.mpjava.Listener;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Schema;
import dev.mpjava.StructValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connection limit at work: a server capped at two connections, three clients. The
 * third client connects at once but is served only when another leaves. Native log
 * lines are bridged into this program's output. Exits 1 if the cap misbehaves.
 *
 * <p>Usage: {@code Demo [path/to/calculator.capnp]} (default: the repository's test schema).
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        Path schemaFile = Path.of(args.length > 0 ? args[0] : "native/test/schemas/calculator.capnp");
        Path socket = Files.createTempDirectory("mpjava-demo").resolve("calc.sock");
        LogOptions logs = LogOptions.defaults()
                .minLevel(LogLevel.INFO)
                .handler((level, thread, message) -> System.out.printf("  [native %s %s] %s%n", level, thread, message));

        try (Schema schema = Schema.load(schemaFile);
                EventLoop server = EventLoop.start("demo-server", logs);
                EventLoop clients = EventLoop.start("demo-clients", logs)) {
            InterfaceType calc = schema.interfaceType("CalcInit");
            Implementation impl = Implementation.of(calc)
                    .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")))
                    .on("echo", (p, r) -> r.set("result", "echo: " + p.getString("text")));
            Listener listener = server.listen(socket, impl, ListenOptions.maxConnections(2));
            say("server listening on %s, max connections 2", socket);

            Client one = clients.connect(socket, calc);
            Client two = clients.connect(socket, calc);
            say("client 1: add(1, 2) = %d", one.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            say("client 2: echo(hi) = %s", two.call("echo", p -> p.set("text", "hi")).getString("result"));

            Client three = clients.connect(socket, calc);
            CompletableFuture<StructValue> waiting = three.callAsync("add", p -> p.set("a", 30).set("b", 3));
            try {
                waiting.get(500, TimeUnit.MILLISECONDS);
                fail("client 3 was served while the server was at its cap");
            } catch (TimeoutException expected) {
                say("client 3 connected; its call waits: %d of 2 connections in use", listener.activeConnections());
            }

            say("client 1 disconnects");
            one.close();
            int third = waiting.get(10, TimeUnit.SECONDS).getInt("result");
            say("client 3: add(30, 3) = %d (served once client 1 left)", third);
            say("client 2: add(2, 2) = %d", two.call("add", p -> p.set("a", 2).set("b", 2)).getInt("result"));
            if (listener.activeConnections() != 2) fail("expected 2 active connections, got " + listener.activeConnections());

            two.close();
            three.close();
            say("shutting down");
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(socket.getParent());
        say("done");
    }

    private static void say(String format, Object... args) {
        System.out.printf("[demo] " + format + "%n", args);
    }

    private static void fail(String message) {
        System.out.println("[demo] FAILED: " + message);
        System.exit(1);
    }
}
