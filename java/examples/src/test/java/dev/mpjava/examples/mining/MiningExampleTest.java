package dev.mpjava.examples.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.StructValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Mining example's TemplateProvider against its FakeNode, over a real Unix socket. */
class MiningExampleTest {
    private Path socket;
    private FakeNode node;

    @BeforeEach
    void setUp() throws IOException {
        socket = Files.createTempDirectory("mpjava-mining").resolve("node.sock");
        node = new FakeNode(socket);
    }

    @AfterEach
    void tearDown() throws IOException {
        node.close();
        Files.deleteIfExists(socket.getParent());
    }

    @Test
    void templateProviderSubmitsASolutionAndSeesTheTipChangeWhileWorking() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long height = TemplateProvider.run(socket, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, height, out);
        assertEquals(1, node.chain.tip().height(), "the accepted solution extended the fake chain");
        assertTrue(out.contains("template: header 00000020"), out);  // version 0x20000000, little-endian
        assertTrue(out.contains("coinbase version 2, reward 312500000 sat, 1 required outputs, merkle path of 2"), out);
        assertTrue(out.contains("submitSolution: true"), out);
        waitFor("the provider's template destroyed and its connection gone", () -> node.templates.isEmpty());
    }

    @Test
    void eachConnectionHasItsOwnTemplatesAndWaitTipChangedWakesWhenTheChainAdvances() throws Exception {
        try (MiningSchema types = new MiningSchema(); EventLoop loop = EventLoop.start("miners");
                Client first = loop.connect(socket, types.init); Client second = loop.connect(socket, types.init);
                Client miningA = first.call("makeMining").getClient("result");
                Client miningB = second.call("makeMining").getClient("result")) {
            Client a1 = miningA.call("createNewBlock").getClient("result");
            Client a2 = miningA.call("createNewBlock").getClient("result");
            Client b1 = miningB.call("createNewBlock").getClient("result");
            assertEquals(2, node.templates.size(), "one template registry per connection");
            assertTrue(node.templates.values().stream().anyMatch(live -> live.size() == 2), node.templates.toString());
            assertTrue(node.templates.values().stream().anyMatch(live -> live.size() == 1), node.templates.toString());

            byte[] tip = miningB.call("getTip").getStruct("result").getBytes("hash");
            CompletableFuture<StructValue> changed = CompletableFuture.supplyAsync(() -> miningB.call("waitTipChanged",
                    p -> p.set("currentTip", tip).set("timeout", 30_000.0)).getStruct("result"));
            assertEquals(80, a1.call("getBlockHeader").getBytes("result").length, "calls go on meanwhile");
            node.chain.advance();
            assertEquals(1, changed.get(30, TimeUnit.SECONDS).getLong("height"));

            StructValue stale = b1.call("submitSolution", p -> p.set("coinbase", new byte[] {1}));
            assertEquals("inconclusive-not-best-prevblk", stale.getString("reason"), "built on the old tip");
            a1.close();
            a2.close();
            waitFor("connection A's templates destroyed, B's kept",
                    () -> node.templates.values().stream().mapToInt(m -> m.size()).sum() == 1);
            b1.close();
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after 10 s waiting for " + what);
            Thread.sleep(5);
        }
    }
}
