package dev.mpjava;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The child process of {@link SpawnedProcessTest}: serves callbacks.capnp's Hub
 * ({@link TestSupport#hub}) on the fd it is given, the way upstream's {@code mpcalculator <fd>}
 * serves its init interface, and exits once the parent has disconnected.
 *
 * <p>Usage: {@code SpawnedHubChild <test schema dir> <fd>}.
 */
final class SpawnedHubChild {
    private SpawnedHubChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) throw new IllegalArgumentException("usage: SpawnedHubChild <test schema dir> <fd>");
        LogOptions logs = LogOptions.defaults().minLevel(LogLevel.WARNING);
        try (Schema schema = Schema.load(Path.of(args[0]).resolve("callbacks.capnp"));
                EventLoop loop = EventLoop.start("spawned-hub", logs)) {
            Listener served = loop.serve(Integer.parseInt(args[1]), TestSupport.hub(schema, new CopyOnWriteArrayList<>()));
            while (!served.awaitNoConnections(Duration.ofHours(1))) {
                // keep serving while the parent is connected
            }
        }
    }
}
