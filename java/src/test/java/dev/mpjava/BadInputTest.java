package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad sockets and malformed bytes from peers: clear errors, no crash, the loop keeps serving. */
class BadInputTest {
    @Test
    void socketPathTooLongIsRejected() {
        Path longPath = Path.of("/tmp/" + "x".repeat(120) + ".sock");
        IpcException e = assertThrows(IpcException.class, () -> Sockets.bind(longPath, 4));
        assertTrue(e.getMessage().contains("socket path too long"), e.getMessage());
    }

    @Test
    void unwritableSocketPathIsRejected() {
        IpcException e = assertThrows(IpcException.class, () -> Sockets.bind(Path.of("/proc/mpjava.sock"), 4));
        assertTrue(e.getMessage().contains("cannot bind socket '/proc/mpjava.sock'"), e.getMessage());
    }

    @Test
    void connectingWhereNobodyListensFailsClearly() {
        try (Schema schema = TestSupport.calculatorSchema(); EventLoop loop = EventLoop.start("nobody")) {
            Path nowhere = TestSupport.tempSocket("nobody.sock");
            IpcException e = assertThrows(IpcException.class, () -> loop.connect(nowhere, schema.interfaceType("CalcInit")));
            assertTrue(e.getMessage().contains("cannot connect to socket") && e.getMessage().contains("nobody.sock"),
                    e.getMessage());
        }
    }

    @Test
    void peerSendingGarbageIsDroppedAndOthersAreStillServed() throws Exception {
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("garbage.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("garbage-server", log.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("clients")) {
            Listener listener = server.listen(socket, TestSupport.calculator(schema));
            Client good = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(2, good.call("add", p -> p.set("a", 1).set("b", 1)).getInt("result"));
            byte[] garbage = new byte[1024];
            Arrays.fill(garbage, (byte) 0xff);
            try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                raw.write(ByteBuffer.wrap(garbage));
                waitFor("the garbage connection to be dropped",
                        () -> log.count("IPC server: socket disconnected.") >= 1);
            }
            assertEquals(1, listener.activeConnections());
            assertEquals(5, good.call("add", p -> p.set("a", 2).set("b", 3)).getInt("result"));
        }
    }

    @Test
    void peerClaimingAHugeMessageIsDropped() throws Exception {
        TestSupport.LogCapture log = new TestSupport.LogCapture();
        Path socket = TestSupport.tempSocket("huge.sock");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("huge-server", log.options(LogLevel.INFO));
                EventLoop clients = EventLoop.start("clients")) {
            server.listen(socket, TestSupport.calculator(schema));
            try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                // Framing: segment count - 1, then segment sizes in words: one segment of 2^28 words.
                ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1 << 28);
                raw.write(header.flip());
                waitFor("the oversized message to be refused", () -> log.count("IPC server: socket disconnected.") >= 1);
            }
            Client good = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(9, good.call("add", p -> p.set("a", 4).set("b", 5)).getInt("result"));
        }
    }

    @Test
    void clientTalkingToAPeerThatAnswersGarbageGetsAClearException() throws Exception {
        Path socket = TestSupport.tempSocket("liar.sock");
        try (ServerSocketChannel liar = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                Schema schema = TestSupport.calculatorSchema();
                EventLoop clients = EventLoop.start("clients")) {
            liar.bind(UnixDomainSocketAddress.of(socket));
            Thread answer = new Thread(() -> {
                try (SocketChannel peer = liar.accept()) {
                    byte[] garbage = new byte[256];
                    Arrays.fill(garbage, (byte) 0x7f);
                    peer.write(ByteBuffer.wrap(garbage));
                    peer.read(ByteBuffer.allocate(4096));
                } catch (IOException ignored) {
                    // the client hangs up on us: expected
                }
            }, "garbage-peer");
            answer.start();
            Client client = clients.connect(socket, schema.interfaceType("CalcInit"));
            RemoteException e = assertThrows(RemoteException.class, () -> client.call("add", p -> p.set("a", 1).set("b", 1)));
            assertTrue(e instanceof DisconnectedException || e.type() == RemoteException.Type.FAILED, e.toString());
            answer.join(10_000);
        }
    }
}
