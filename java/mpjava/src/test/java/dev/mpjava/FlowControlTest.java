package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control per connection (ListenOptions' maxInFlight…/…OutgoingBytes) on the Java
 * server: a raw peer (mpjava_fuzz flood) pipelines add calls and never reads a reply.
 */
class FlowControlTest {
    // WARNING and up only: a capture of every call's TRACE line would itself grow the heap.
    private final TestSupport.LogCapture serverLog = TestSupport.LogCapture.expecting("IPC server: disconnecting a peer");
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;

    @BeforeEach
    void startPeers() {
        schema = TestSupport.calculatorSchema();
        server = EventLoop.start("flow-server", serverLog.options(LogLevel.WARNING));
        clients = EventLoop.start("flow-clients");
        socket = TestSupport.tempSocket("flow.sock");
    }

    @AfterEach
    void stopPeers() {
        clients.close();
        server.close();
        schema.close();
    }

    private Client connect() {
        return clients.connect(socket, schema.interfaceType("CalcInit"));
    }

    private static int sum(Client client, int a, int b) {
        return CalculatorPeers.sum(client, a, b);
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return 0;
    }

    /** What the JVM itself has committed (heap and non-heap), KiB: RSS growth that is not the server's. */
    private static long jvmCommittedKiB() {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        return (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
    }

    /** RSS minus the JVM's own committed memory, KiB: what native code holds, roughly. */
    private static long nativeKiB() throws IOException {
        return rssKiB() - jvmCommittedKiB();
    }

    private static double medianMicros(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1000.0;
    }

    private static long timedSum(Client client, int i) {
        long start = System.nanoTime();
        assertEquals(i + 1, sum(client, i, 1));
        return System.nanoTime() - start;
    }

    @Test
    void floodOfUnreadRepliesKeepsJavaServerMemoryBoundedAndOthersServed() throws Exception {
        server.listen(socket, TestSupport.calculator(schema));
        Client other = connect();
        List<Long> baseline = new ArrayList<>();
        for (int i = 0; i < 2000; ++i) baseline.add(timedSum(other, i));  // warm: JIT, heap
        baseline.clear();
        for (int i = 0; i < 300; ++i) baseline.add(timedSum(other, i));
        System.gc();
        long before = nativeKiB();
        CompletableFuture<FuzzLiveServerTest.Run> flood = CompletableFuture.supplyAsync(() -> {
            try {
                return FuzzLiveServerTest.runFuzz(Duration.ofSeconds(60), "flood", socket.toString(), "100000", "1000");
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        List<Long> during = new ArrayList<>();
        long peak = before;
        for (int i = 0; !flood.isDone() || during.size() < 300; ++i) {
            during.add(timedSum(other, i));
            if (i % 20 == 0) peak = Math.max(peak, nativeKiB());
        }
        peak = Math.max(peak, nativeKiB());
        FuzzLiveServerTest.Run run = flood.join();
        double base = medianMicros(baseline);
        double load = medianMicros(during);
        System.out.printf("java flood: %s; RSS beyond the JVM's committed heap %d KiB before, peak %d KiB (+%d KiB); "
                + "other client's add median %.0f us "
                + "baseline, %.0f us during the flood (%d calls)%n", run.output().trim().replace('\n', ';'), before, peak,
                peak - before, base, load, during.size());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("still connected"), "paused, not disconnected: " + run.output());
        assertTrue(peak - before < 64 * 1024, "native memory (RSS beyond the JVM heap) grew by " + (peak - before) + " KiB");
        assertTrue(load <= 5 * base + 500, "median " + load + " us against " + base + " us");
        assertEquals(5, sum(other, 2, 3));
        other.close();
    }

    @Test
    void peerPastMaxOutgoingBytesIsDisconnectedWithLoggedReason() throws Exception {
        Listener listener = server.listen(socket, TestSupport.calculator(schema),
                ListenOptions.defaults().withFlowLimits(
                        FlowLimits.defaults().withOutgoingPauseBytes(1L << 30).withMaxOutgoingBytes(2L << 20)));
        FuzzLiveServerTest.Run run = FuzzLiveServerTest.runFuzz(Duration.ofSeconds(60), "flood", socket.toString(), "100000", "10000");
        assertTrue(run.output().contains("cut off by the server"), run.output());
        assertTrue(serverLog.contains("IPC server: disconnecting a peer: the peer does not read its replies"), serverLog.dump());
        assertTrue(serverLog.contains("more than maxOutgoingBytes=2097152"), serverLog.dump());
        assertTrue(listener.awaitNoConnections(Duration.ofSeconds(10)));
        Client other = connect();
        assertEquals(3, sum(other, 1, 2));
        other.close();
    }

    @Test
    void flowLimitsAreEncodedForTheServer() {
        ListenOptions options = ListenOptions.defaults().withFlowLimits(FlowLimits.defaults().withMaxInFlightCalls(8)
                .withMaxInFlightBytes(1 << 20).withOutgoingPauseBytes(65536).withMaxOutgoingBytes(1 << 22));
        String text = options.encode();
        assertTrue(text.contains("maxInFlightCalls=8\n") && text.contains("maxInFlightBytes=1048576\n")
                && text.contains("outgoingPauseBytes=65536\n") && text.contains("maxOutgoingBytes=4194304\n"), text);
        assertEquals(1024, ListenOptions.defaults().flowLimits().maxInFlightCalls());
        assertEquals(4L << 20, ListenOptions.defaults().flowLimits().outgoingPauseBytes());
        assertThrows(IllegalArgumentException.class, () -> FlowLimits.defaults().withMaxInFlightCalls(0));
        server.listen(socket, TestSupport.calculator(schema), options).close();  // the server accepts them
    }
}
