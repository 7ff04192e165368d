package dev.mpjava.examples;

import dev.mpjava.EventLoop;
import dev.mpjava.Listener;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.examples.schema.InitInterface;
import java.time.Duration;

/** The child side of a spawned process: serve the init interface on the inherited fd until the parent leaves. */
final class Spawned {
    private Spawned() {}

    static void serve(String name, String[] args, InitInterface init) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("Usage: " + name + " <fd>   (started by a parent process, like upstream's " + name + ")");
            System.exit(1);
        }
        int fd = Integer.parseInt(args[0]);
        LogOptions logs = LogOptions.defaults().minLevel(LogLevel.WARNING);
        try (EventLoop loop = EventLoop.start(name, logs)) {
            Listener served = loop.serve(fd, InitInterface.implementation(init));
            while (!served.awaitNoConnections(Duration.ofHours(1))) {
                // keep serving while the parent is connected
            }
        }
    }
}
