package dev.mpjava.consumer;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.InterfaceType;
import dev.mpjava.Listener;
import dev.mpjava.Schema;
import dev.mpjava.Sockets;
import dev.mpjava.SpawnedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A program that uses mpjava as a library does, through the public API only. Run by
 * ci/check-consumer.sh against the packaged jar, on the class path and on the module path:
 * serves and calls {@code add} over a socketpair in this JVM, then over a socketpair to a child
 * JVM started with {@link SpawnedProcess#javaCommand} (which must find the library the same way).
 * With {@code serve <schema> <fd>} it is that child.
 */
public final class Consumer {
    private static final String SCHEMA =
            "@0xd3c1e3a6f0b2c401;\n"
            + "interface Adder {\n"
            + "  add @0 (a :Int32, b :Int32) -> (result :Int32);\n"
            + "}\n";

    private Consumer() {}

    public static void main(String[] args) throws Exception {
        String where = Consumer.class.getModule().isNamed()
                ? "module " + Consumer.class.getModule().getName() + " on the module path"
                : "class path";
        if (args.length == 3 && args[0].equals("serve")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]), where);
            return;
        }
        Path dir = Files.createTempDirectory("mpjava-consumer");
        Path file = dir.resolve("adder.capnp");
        Files.writeString(file, SCHEMA);
        try (Schema schema = Schema.load(file);
                EventLoop server = EventLoop.start("consumer-server");
                EventLoop clients = EventLoop.start("consumer-clients")) {
            InterfaceType adder = schema.interfaceType("Adder");
            int[] pair = Sockets.pair();
            server.serve(pair[0], adder(adder));
            try (Client client = clients.connect(pair[1], adder)) {
                check(client.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"), 3, "in-process add");
            }
            System.out.println("Consumer: in-process add OK (" + where + ")");

            try (SpawnedProcess child = SpawnedProcess.spawn(
                    SpawnedProcess.javaCommand(Consumer.class, "serve", file.toString()))) {
                try (Client client = clients.connect(child.takeSocket(), adder)) {
                    check(client.call("add", p -> p.set("a", 40).set("b", 2)).getInt("result"), 42, "child add");
                }
                int exit = child.waitFor(30, TimeUnit.SECONDS);
                check(exit, 0, "child exit code");
            }
            System.out.println("Consumer: spawned child add OK (" + where + ")");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void child(Path file, int fd, String where) throws Exception {
        try (Schema schema = Schema.load(file); EventLoop loop = EventLoop.start("consumer-child")) {
            Listener listener = loop.serve(fd, adder(schema.interfaceType("Adder")));
            System.out.println("Consumer child: serving (" + where + ")");
            if (!listener.awaitNoConnections(Duration.ofSeconds(60))) throw new IllegalStateException("parent stayed");
        }
    }

    private static Implementation adder(InterfaceType type) {
        return Implementation.of(type).on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")));
    }

    private static void check(int actual, int expected, String what) {
        if (actual != expected) throw new AssertionError(what + ": " + actual + ", expected " + expected);
    }
}
