package dev.mpjava.examples.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mpjava.EventLoop;
import dev.mpjava.LogOptions;
import dev.mpjava.RemoteException;
import dev.mpjava.examples.mining.schema.BlockCreateOptions;
import dev.mpjava.examples.mining.schema.BlockRef;
import dev.mpjava.examples.mining.schema.BlockTemplate;
import dev.mpjava.examples.mining.schema.Init;
import dev.mpjava.examples.mining.schema.Mining;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Mining example's TemplateProvider against its FakeNode, over a real Unix socket. */
class MiningExampleTest {
    private Path socket;
    private FakeNode node;
    private final List<String> nodeLog = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        socket = Files.createTempDirectory("mpjava-mining").resolve("node.sock");
        node = new FakeNode(socket, LogOptions.defaults().handler((level, thread, message) -> nodeLog.add(message)));
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
        try (EventLoop loop = EventLoop.start("miners");
                Init.Client first = Init.connect(loop, socket); Init.Client second = Init.connect(loop, socket);
                Mining.Client miningA = first.makeMining(); Mining.Client miningB = second.makeMining()) {
            BlockTemplate.Client a1 = miningA.createNewBlock(BlockCreateOptions.DEFAULT);
            BlockTemplate.Client a2 = miningA.createNewBlock(BlockCreateOptions.DEFAULT);
            BlockTemplate.Client b1 = miningB.createNewBlock(BlockCreateOptions.DEFAULT);
            assertEquals(2, node.templates.size(), "one template registry per connection");
            assertTrue(node.templates.values().stream().anyMatch(live -> live.size() == 2), node.templates.toString());
            assertTrue(node.templates.values().stream().anyMatch(live -> live.size() == 1), node.templates.toString());

            byte[] tip = miningB.getTip().orElseThrow().hash();
            CompletableFuture<BlockRef> changed = miningB.waitTipChangedAsync(tip, 30_000.0);
            assertEquals(80, a1.getBlockHeader().length, "calls go on meanwhile");
            assertTrue(miningB.isTestChain(), "so do calls on the Mining that waits");
            node.chain.advance();
            assertEquals(1, changed.get(30, TimeUnit.SECONDS).height());

            BlockTemplate.SubmitSolutionResults stale = b1.submitSolution(0, 0, 0, new byte[] {1}, false);
            assertEquals("inconclusive-not-best-prevblk", stale.reason(), "built on the old tip");
            RemoteException notServed = assertThrows(RemoteException.class, () -> b1.getBlock());
            assertTrue(notServed.getMessage().contains("BlockTemplate.getBlock is not implemented"), notServed::getMessage);
            waitFor("the fake node's log of the failed call",
                    () -> nodeLog.stream().anyMatch(line -> line.contains("handler of BlockTemplate.getBlock threw")));
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
