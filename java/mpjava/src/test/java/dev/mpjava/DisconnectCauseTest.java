package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that a disconnect fails, in flight or made after it, say what ended the connection:
 * a peer writing bytes that are no Cap'n Proto message, a peer that hangs up mid-call.
 * The peers are raw sockets: they read what the client sends, then misbehave.
 */
class DisconnectCauseTest {
    // A segment table claiming 65,536 segments: Cap'n Proto refuses it before reading on.
    private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0};

    private final TestSupport.LogCapture clientLog = TestSupport.LogCapture.expecting(
            "IPC client: unexpected network disconnect.", "IPC client: construct failed");
    private Schema schema;
    private EventLoop clients;
    private Path socket;
    private ServerSocketChannel peer;

    @BeforeEach
    void start() throws IOException {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        clients = EventLoop.start("cause-clients", clientLog.options(LogLevel.INFO));
        socket = TestSupport.tempSocket("raw.sock");
        Files.deleteIfExists(socket);
        peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void stop() throws IOException {
        clients.close();
        schema.close();
        peer.close();
    }

    @Test
    void peerSpeakingGarbageFailsPendingAndLaterCallsNamingTheRealCause() throws Exception {
        CompletableFuture<SocketChannel> accepted = misbehave(GARBAGE, false);
        // NoThreadMap has no construct: nothing is awaited at connect, the call goes out at once.
        try (Client client = clients.connect(socket, schema.interfaceType("NoThreadMap"));
                SocketChannel held = accepted.get(10, TimeUnit.SECONDS)) {
            CompletableFuture<StructValue> pending = client.callAsync("threadName", p -> {});
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof DisconnectedException, String.valueOf(failed.getCause()));
            assertTrue(failed.getCause().getMessage().contains("too many segments"), failed.getCause().getMessage());
            TestSupport.waitFor("the client to see the disconnect", () -> !client.isConnected());

            DisconnectedException later = assertThrows(DisconnectedException.class, () -> client.call("threadName", p -> {}));
            assertTrue(later.getMessage().contains("IPC client method called after disconnect."), later.getMessage());
            assertTrue(later.getMessage().contains("too many segments"), "the real cause: " + later.getMessage());
        }
        assertTrue(clientLog.contains("IPC client: unexpected network disconnect. ("), clientLog.dump());
    }

    @Test
    void peerClosingMidCallFailsLaterCallsSayingThePeerDisconnected() throws Exception {
        CompletableFuture<SocketChannel> accepted = misbehave(new byte[0], true);
        try (Client client = clients.connect(socket, schema.interfaceType("NoThreadMap"))) {
            accepted.get(10, TimeUnit.SECONDS);
            DisconnectedException inFlight = assertThrows(DisconnectedException.class,
                    () -> client.call("threadName", p -> {}, Duration.ofSeconds(10)));
            assertTrue(inFlight.getMessage().contains("disconnect"), inFlight.getMessage());
            TestSupport.waitFor("the client to see the disconnect", () -> !client.isConnected());
            DisconnectedException later = assertThrows(DisconnectedException.class, () -> client.call("threadName", p -> {}));
            assertTrue(later.getMessage().matches(".*called after disconnect\\. \\(.*[Pp]eer disconnected.*\\).*"),
                    later.getMessage());
        }
    }

    @Test
    void garbageAnsweringConstructFailsACheckedConnectNamingTheCause() throws Exception {
        CompletableFuture<SocketChannel> accepted = misbehave(GARBAGE, false);
        DisconnectedException failed = assertThrows(DisconnectedException.class, () -> clients.connect(socket,
                schema.interfaceType("ThreadTest"), ConnectOptions.defaults().withInterfaceCheck()));
        assertTrue(failed.getMessage().contains("too many segments"), failed.getMessage());
        accepted.get(10, TimeUnit.SECONDS).close();
    }

    /** Accepts one client, reads its first bytes, then writes {@code reply} and, if asked, hangs up. */
    private CompletableFuture<SocketChannel> misbehave(byte[] reply, boolean hangUp) {
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                SocketChannel channel = peer.accept();
                channel.read(ByteBuffer.allocate(4096));
                channel.write(ByteBuffer.wrap(reply));
                if (hangUp) channel.close();
                accepted.complete(channel);
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        }, "raw-peer");
        thread.setDaemon(true);
        thread.start();
        return accepted;
    }
}
