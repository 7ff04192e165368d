package dev.mpjava.consumer;

import dev.mpjava.EventLoop;
import dev.mpjava.Listener;
import dev.mpjava.Sockets;
import dev.mpjava.SpawnedProcess;
import dev.mpjava.consumer.adder.Adder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A program that uses mpjava as a library does, through the public API and the typed API
 * that mpjava-maven-plugin generated from src/main/capnp/adder.capnp (which the generated
 * code loads from the class path). Run by ci/check-consumer.sh against the installed jars,
 * on the class path and on the module path: serves {@link Adder} and calls {@code add} over a
 * socketpair in this JVM, then over a socketpair to a child JVM started with
 * {@link SpawnedProcess#javaCommand} (which must find the library and the schema the same
 * way). With {@code serve <fd>} it is that child.
 */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
        String where = Consumer.class.getModule().isNamed()
                ? "module " + Consumer.class.getModule().getName() + " on the module path"
                : "class path";
        if (args.length == 2 && args[0].equals("serve")) {
            child(Integer.parseInt(args[1]), where);
            return;
        }
        try (EventLoop server = EventLoop.start("consumer-server");
                EventLoop clients = EventLoop.start("consumer-clients")) {
            int[] pair = Sockets.pair();
            server.serve(pair[0], Adder.implementation(Consumer::add));
            try (Adder.Client adder = Adder.connect(clients, pair[1])) {
                check(adder.add(1, 2), 3, "in-process typed add");
                // The escape hatch: the same connection through the dynamic API.
                check(adder.dynamic().call("add", p -> p.set("a", 2).set("b", 3)).getInt("result"), 5,
                        "in-process dynamic add");
            }
            System.out.println("Consumer: in-process add OK (" + where + ")");

            try (SpawnedProcess child = SpawnedProcess.spawn(SpawnedProcess.javaCommand(Consumer.class, "serve"))) {
                try (Adder.Client adder = Adder.connect(clients, child.takeSocket())) {
                    check(adder.add(40, 2), 42, "child add");
                }
                int exit = child.waitFor(30, TimeUnit.SECONDS);
                check(exit, 0, "child exit code");
            }
            System.out.println("Consumer: spawned child add OK (" + where + ")");
        }
    }

    private static void child(int fd, String where) throws Exception {
        try (EventLoop loop = EventLoop.start("consumer-child")) {
            Listener listener = loop.serve(fd, Adder.implementation(Consumer::add));
            System.out.println("Consumer child: serving (" + where + ")");
            if (!listener.awaitNoConnections(Duration.ofSeconds(60))) throw new IllegalStateException("parent stayed");
        }
    }

    private static int add(int a, int b) {
        return a + b;
    }

    private static void check(int actual, int expected, String what) {
        if (actual != expected) throw new AssertionError(what + ": " + actual + ", expected " + expected);
    }
}
