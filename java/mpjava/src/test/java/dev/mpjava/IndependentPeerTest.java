package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mpjava against native/test/peer: an independent peer built from generated code with
 * plain Cap'n Proto RPC, playing upstream's roles by the spec, in both directions.
 */
class IndependentPeerTest {
    private static final String PEER = System.getProperty("mpjava.testPeer", "target/native/mpjava_test_peer");
    /** The peer calls without a thread on purpose; the server logs the refusal. */
    private final TestSupport.LogCapture log = TestSupport.LogCapture.expecting("no thread specified and no pool configured");
    private Schema schema;
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
        loop = EventLoop.start("peer-test", log.options(LogLevel.INFO));
    }

    @AfterEach
    void tearDown() {
        loop.close();
        schema.close();
    }

    @Test
    void javaClientFollowsTheThreadRulesOfAnIndependentServer() throws Exception {
        try (SpawnedProcess peer = SpawnedProcess.spawn(List.of(PEER, "server", SpawnedProcess.FD))) {
            Client hub = loop.connect(peer.takeSocket(), schema.interfaceType("Hub"));
            List<String> callbackThreads = new CopyOnWriteArrayList<>();
            Implementation callback = Implementation.of(schema.interfaceType("Callback"))
                    .on("call", (p, r) -> {
                        callbackThreads.add(Thread.currentThread().getName());
                        r.set("result", p.getInt("arg") * 10);
                    });
            assertEquals(51, hub.call("callback", p -> p.set("cb", callback).set("arg", 5)).getInt("result"));
            assertEquals(List.of(Thread.currentThread().getName()), callbackThreads, "callback ran on the caller");

            List<String> lines = new CopyOnWriteArrayList<>();
            AtomicInteger printerClosed = new AtomicInteger();
            Implementation printer = Implementation.of(schema.interfaceType("Printer"))
                    .on("print", (p, r) -> lines.add(p.getString("text")))
                    .onClose(printerClosed::incrementAndGet);
            Client calculator = hub.call("makeCalculator", p -> p.set("printer", printer)).getClient("result");
            assertEquals(5, calculator.call("solve", p -> p.set("a", 2).set("b", 3)).getLong("result"));
            assertEquals(List.of("2+3 = 5"), lines);
            calculator.close();  // destroy(context) is checked by the peer

            Client peerPrinter = hub.call("makePrinter").getClient("result");
            peerPrinter.call("print", p -> p.set("text", "from java"));
            peerPrinter.close();

            RaisedException raised = assertThrows(RaisedException.class, () -> hub.call("raise", p -> p.set("name", "x")));
            assertEquals("x", ((StructValue) raised.error()).getString("name"));
            hub.close();
            assertEquals(0, peer.waitFor(30, TimeUnit.SECONDS), "the peer saw no rule broken and exited cleanly");
        }
    }

    @Test
    void independentClientIsServedByJavaByTheRules() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        try (SpawnedProcess peer = SpawnedProcess.spawn(List.of(PEER, "client", SpawnedProcess.FD))) {
            Listener served = loop.serve(peer.takeSocket(), TestSupport.hub(schema, printed));
            int exit = peer.waitFor(60, TimeUnit.SECONDS);
            assertEquals(0, exit, "the peer's checks passed (its stdout says why if not)");
            TestSupport.waitFor("the peer's connection to end", () -> served.activeConnections() == 0);
        }
        assertEquals(1, log.count("IPC server error request #5, no thread specified and no pool configured"),
                "the one threadless Context call is refused and logged: " + log.dump());
    }
}
