package dev.mpjava;

import static dev.mpjava.TestSupport.assertContains;
import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad socket paths and peers that do not speak Cap'n Proto: clear errors, no crash, the loop goes on. */
class BadInputTest extends CalculatorPeers {

    // ---- socket paths ----

    @Test
    void socketPathLongerThanSunPathIsRejectedOnListenAndConnect() {
        Path tooLong = Path.of("/tmp/" + "x".repeat(110) + ".sock");
        assertTrue(tooLong.toString().length() > 107);
        IpcException listen = assertThrows(IpcException.class,
                () -> server.listen(tooLong, TestSupport.calculator(schema)));
        assertContains(listen.getMessage(), "socket path too long");
        assertContains(listen.getMessage(), "at most 107");
        IpcException connect = assertThrows(IpcException.class, () -> clients.connect(tooLong, schema.interfaceType("CalcInit")));
        assertContains(connect.getMessage(), "socket path too long");

        Path longest = Path.of("/tmp/" + "y".repeat(107 - "/tmp/".length()));
        assertEquals(107, longest.toString().length());
        try (Listener listener = server.listen(longest, TestSupport.calculator(schema))) {
            assertEquals(3, sum(clients.connect(longest, schema.interfaceType("CalcInit")), 1, 2),
                    "107 bytes is still a valid path");
        } finally {
            longest.toFile().delete();
        }
    }

    @Test
    void unwritableSocketPathFailsToBind() {
        IpcException e = assertThrows(IpcException.class,
                () -> server.listen(Path.of("/proc/mpjava-test.sock"), TestSupport.calculator(schema)));
        assertContains(e.getMessage(), "cannot bind socket");
        assertContains(e.getMessage(), "/proc/mpjava-test.sock");
        IpcException noDir = assertThrows(IpcException.class,
                () -> server.listen(socket.resolveSibling("missing-dir").resolve("x.sock"), TestSupport.calculator(schema)));
        assertContains(noDir.getMessage(), "cannot bind socket");
        server.listen(socket, TestSupport.calculator(schema));
        assertEquals(3, sum(connect(), 1, 2), "the loop is unaffected by the failed binds");
    }

    @Test
    void connectWhereNobodyListensFails() {
        IpcException missing = assertThrows(IpcException.class, this::connect);
        assertContains(missing.getMessage(), "cannot connect to socket");
        assertContains(missing.getMessage(), socket.toString());

        Listener listener = server.listen(socket, TestSupport.calculator(schema));
        listener.close();  // removes its socket file
        IpcException refused = assertThrows(IpcException.class, this::connect);
        assertContains(refused.getMessage(), "cannot connect to socket");
    }

    // ---- peers that send garbage to a Java server ----

    private static SocketChannel rawConnect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return channel;
    }

    private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) channel.write(buf);
    }

    /** Reads until the server closes the connection; fails if it does not within the deadline. */
    private static void assertServerHangsUp(SocketChannel channel) throws Exception {
        CompletableFuture<Long> eof = CompletableFuture.supplyAsync(() -> {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            long total = 0;
            try {
                int n;
                while ((n = channel.read(buf)) >= 0) {
                    total += n;
                    buf.clear();
                }
            } catch (IOException reset) {
                // ECONNRESET is a hang-up too.
            }
            return total;
        });
        try {
            eof.get(10, TimeUnit.SECONDS);
        } finally {
            channel.close();  // unblocks the reader if the deadline passed
        }
    }

    /** One well-behaved client first, then a raw peer writes `garbage`: it is dropped, the rest goes on. */
    private void garbagePeerIsDroppedAndServerKeepsServing(byte[] garbage) throws Exception {
        Listener listener = server.listen(socket, TestSupport.calculator(schema));
        Client good = connect();
        assertEquals(3, sum(good, 1, 2));
        SocketChannel raw = rawConnect(socket);
        waitFor("the raw peer to be accepted", () -> serverLog.count("IPC server: socket connected.") == 2);
        writeAll(raw, garbage);
        assertServerHangsUp(raw);
        waitFor("the garbage connection to be dropped", () -> listener.activeConnections() == 1);
        waitFor("the disconnect log line", () -> serverLog.contains("IPC server: socket disconnected."));
        assertEquals(7, sum(good, 3, 4), "the existing client is still served");
        assertTrue(good.isConnected());
        Client another = connect();
        assertEquals(11, sum(another, 5, 6), "a new client is served");
        assertEquals(2, listener.activeConnections());
    }

    @Test
    void randomBytesFromPeerDropOnlyThatConnection() throws Exception {
        byte[] garbage = new byte[1024];
        new Random(0x5eed).nextBytes(garbage);
        garbagePeerIsDroppedAndServerKeepsServing(garbage);
    }

    @Test
    void allOnesBytesFromPeerDropOnlyThatConnection() throws Exception {
        byte[] garbage = new byte[1024];
        Arrays.fill(garbage, (byte) 0xff);
        garbagePeerIsDroppedAndServerKeepsServing(garbage);
    }

    /** A frame header: segment count - 1, then each segment's size in words (little endian). */
    private static byte[] frameHeader(int... segmentWords) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * segmentWords.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(segmentWords.length - 1);
        for (int words : segmentWords) header.putInt(words);
        return Arrays.copyOf(header.array(), header.position() + (segmentWords.length % 2 == 0 ? 4 : 0));
    }

    @Test
    void frameClaimingMoreThan64MiBDropsConnectionWithoutAllocating() throws Exception {
        byte[] header = frameHeader(0x02000000);  // 2^25 words = 256 MiB, beyond the 64 MiB limit
        byte[] withSomeBody = Arrays.copyOf(header, header.length + 64);
        garbagePeerIsDroppedAndServerKeepsServing(withSomeBody);
    }

    @Test
    void frameWithTooManySegmentsDropsConnection() throws Exception {
        int[] sizes = new int[600];
        Arrays.fill(sizes, 1);
        garbagePeerIsDroppedAndServerKeepsServing(frameHeader(sizes));
    }

    @Test
    void peerThatHangsUpMidFrameIsDropped() throws Exception {
        Listener listener = server.listen(socket, TestSupport.calculator(schema));
        Client good = connect();
        assertEquals(3, sum(good, 1, 2));
        try (SocketChannel raw = rawConnect(socket)) {
            writeAll(raw, Arrays.copyOf(frameHeader(100), 8 + 40));  // promises 800 bytes, sends 40
        }
        waitFor("the truncated connection to be dropped", () -> serverLog.count("IPC server: socket disconnected.") == 1);
        waitFor("one connection left", () -> listener.activeConnections() == 1);
        assertEquals(7, sum(good, 3, 4));
    }

    // ---- a Java client talking to a peer that answers with garbage ----

    @Test
    void clientFailsClearlyWhenPeerAnswersWithGarbage() throws Exception {
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            byte[] garbage = new byte[1024];
            new Random(42).nextBytes(garbage);
            garbage[0] = (byte) 0xff;  // the first word promises far too many segments
            CompletableFuture<SocketChannel> peer = CompletableFuture.supplyAsync(() -> {
                try {
                    SocketChannel accepted = fake.accept();
                    accepted.read(ByteBuffer.allocate(4096));  // the client's bootstrap, unanswered
                    writeAll(accepted, garbage);
                    return accepted;  // kept open: the failure must come from the bytes, not a hang-up
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Client client = connect();
            try {
                IpcException failed = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThrows(IpcException.class, () -> sum(client, 1, 2)));
                assertTrue(failed instanceof DisconnectedException || failed instanceof RemoteException,
                        "clear failure, got " + failed);
                waitFor("the client to give the connection up", () -> !client.isConnected());
                ExecutionException later = assertThrows(ExecutionException.class,
                        () -> client.callAsync("add", p -> p.set("a", 1).set("b", 1)).get(10, TimeUnit.SECONDS));
                assertTrue(later.getCause() instanceof IpcException, String.valueOf(later.getCause()));
            } finally {
                peer.get(10, TimeUnit.SECONDS).close();
            }
        }
        // The client loop survives: a real server on a new socket is reachable from it.
        Path real = TestSupport.tempSocket("real.sock");
        server.listen(real, TestSupport.calculator(schema));
        assertEquals(5, sum(clients.connect(real, schema.interfaceType("CalcInit")), 2, 3));
    }
}
