package dev.mpjava.cli;

import static dev.mpjava.cli.TestServers.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.cli.TestServers.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpjava serve-demo} serving on a thread of this JVM, driven by the other commands. */
class CliServeDemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoServerAnswersDescribeCallAndThenUntilInterrupted() throws Exception {
        Path socket = dir.resolve("demo.sock");
        Path schema = dir.resolve("demo.capnp");
        AtomicReference<Run> served = new AtomicReference<>();
        Thread server = new Thread(() -> served.set(cli("serve-demo", socket, "--schema-out", schema, "--for", "60s")),
                "serve-demo");
        server.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(5);

        Run describe = cli("schema", schema, "DemoInit");
        Run add = cli("call", socket, schema, "DemoInit", "add", "a=1", "b=2");
        Run counter = cli("call", socket, schema, "DemoInit", "makeCounter", "start=41", "--then", "next", "--json");
        Run fail = cli("call", socket, schema, "DemoInit", "fail", "message=as asked");
        server.interrupt();
        server.join(20_000);

        assertTrue(describe.out().contains("  makeCounter (context :Proxy.Context*, start :Int64) -> (result :Counter)\n"),
                describe.out());
        assertEquals("result = 3\n", add.out(), add.err());
        assertEquals("{\n  \"value\": 41\n}\n", counter.out(), counter.err());
        assertEquals(Main.FAILED, fail.exitCode());
        assertTrue(fail.err().contains("as asked"), fail.err());
        assertFalse(server.isAlive());
        assertEquals(0, served.get().exitCode(), served.get().err());
        assertTrue(served.get().out().startsWith("serving DemoInit on " + socket), served.get().out());
        assertFalse(Files.exists(socket));
    }
}
