package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child process started with a socketpair fd on its command line, like mpcalculator. */
class SpawnedProcessTest {
    @Test
    void spawnedJavaCalculatorPrintsThroughPrinterInParentAndExitsWhenParentLeaves() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger printerDestroyed = new AtomicInteger();
        try (Schema schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
                EventLoop loop = EventLoop.start("parent");
                SpawnedProcess child = SpawnedProcess.spawn(SpawnedProcess.javaCommand(SpawnedHubChild.class,
                        TestSupport.SCHEMAS.toAbsolutePath().toString(), SpawnedProcess.FD))) {
            Client hub = loop.connect(child.takeSocket(), schema.interfaceType("Hub"));
            Implementation printer = Implementation.of(schema.interfaceType("Printer"))
                    .on("print", (p, r) -> lines.add(p.getString("text")))
                    .onClose(printerDestroyed::incrementAndGet);
            Client calculator = hub.call("makeCalculator", p -> p.set("printer", printer)).getClient("result");
            assertEquals(2, calculator.call("solve", p -> p.set("a", 1).set("b", 1)).getLong("result"));
            assertEquals(List.of("1+1 = 2"), lines);
            calculator.close();  // destroy: the child drops its printer client, which destroys ours
            TestSupport.waitFor("the child to destroy the printer", () -> printerDestroyed.get() == 1);
            hub.close();
            assertEquals(0, child.waitFor(30, TimeUnit.SECONDS), "the child exits cleanly once we leave");
        }
    }

    @Test
    void spawningAMissingProgramFailsClearly() {
        IpcException e = assertThrows(IpcException.class,
                () -> SpawnedProcess.spawn(List.of("/nonexistent/mpcalculator", SpawnedProcess.FD)));
        assertTrue(e.getMessage().contains("cannot spawn '/nonexistent/mpcalculator'"), e.getMessage());
    }

    /**
     * Each child writes "own N sockets: a b ..." to the file given as $1: N is the fd number
     * on its command line ($2), a b ... every fd it holds that is a socket. Shell builtins only
     * (the glob and [ -S ] run in sh itself), so what is listed is exactly what sh inherited.
     */
    private static final String REPORT_SOCKETS = "socks=; for f in /proc/self/fd/*; do "
            + "if [ -S \"$f\" ]; then socks=\"$socks ${f##*/}\"; fi; done; "
            + "printf 'own %s sockets:%s\\n' \"$2\" \"$socks\" > \"$1\"";

    private record Spawned(String name, Path report, SpawnedProcess process) {}

    /**
     * The fds of this JVM that are sockets without close-on-exec: every spawned child inherits
     * them whatever we do (the JDK keeps one from NIO's start-up), so they are not ours to check.
     */
    private static Set<String> inheritableSocketsOfThisJvm() throws IOException {
        Set<String> fds = new TreeSet<>();
        List<Path> links;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            links = list.toList();
        }
        for (Path link : links) {
            String fd = link.getFileName().toString();
            try {
                if (!Files.readSymbolicLink(link).toString().startsWith("socket:")) continue;
                String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd)).stream()
                        .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
                if ((Long.parseLong(flags.substring("flags:".length()).strip(), 8) & 02000000) == 0) fds.add(fd);
            } catch (NoSuchFileException e) {
                // closed meanwhile (the directory stream's own fd, say)
            }
        }
        return fds;
    }

    @Test
    void concurrentSpawnsEachChildInheritsOnlyItsOwnSocket(@TempDir Path dir) throws Exception {
        int threads = 2;
        int spawnsPerThread = 100;
        Duration timeout = Duration.ofSeconds(20);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Spawned> spawned = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(threads);
        Set<String> jvmSockets = inheritableSocketsOfThisJvm();
        try {
            // Both threads spawn at once: with the child's fd made inheritable in the parent,
            // the other thread's children picked it up too.
            TestSupport.runCallers(threads, id -> {
                start.countDown();
                start.await();
                for (int i = 0; i < spawnsPerThread; i++) {
                    if (System.nanoTime() > deadline) {
                        fail("thread " + id + " spawned only " + i + " of " + spawnsPerThread + " children within "
                                + timeout.toMillis() + " ms");
                    }
                    String name = "t" + id + "-" + i;
                    Path report = dir.resolve(name);
                    spawned.add(new Spawned(name, report, SpawnedProcess.spawn(
                            List.of("sh", "-c", REPORT_SOCKETS, "sh", report.toString(), SpawnedProcess.FD))));
                }
            });
            jvmSockets.addAll(inheritableSocketsOfThisJvm());
            List<String> wrong = new ArrayList<>();
            for (Spawned s : spawned) {
                long left = Math.max(0, deadline - System.nanoTime());
                int exit;
                try {
                    exit = s.process().waitFor(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("child " + s.name() + " (pid " + s.process().pid() + ") did not exit within "
                            + timeout.toMillis() + " ms of the test's start", e);
                }
                assertEquals(0, exit, "exit code of child " + s.name());
                String line = Files.readString(s.report()).strip();
                String[] parts = line.split(" sockets:", 2);
                assertTrue(parts.length == 2 && parts[0].startsWith("own "), "child " + s.name() + " reported: " + line);
                String own = parts[0].substring("own ".length());
                List<String> held = new ArrayList<>(List.of(parts[1].strip().split(" +")));
                held.removeAll(jvmSockets);
                if (!held.equals(List.of(own))) {
                    wrong.add(s.name() + " (own fd " + own + ") held sockets " + held);
                }
            }
            assertEquals(threads * spawnsPerThread, spawned.size(), "children spawned");
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + spawned.size()
                    + " children held a socket other than their own (not counting this JVM's inheritable sockets "
                    + jvmSockets + "): " + wrong.subList(0, Math.min(5, wrong.size())));
        } finally {
            for (Spawned s : spawned) s.process().close();
        }
    }
}
