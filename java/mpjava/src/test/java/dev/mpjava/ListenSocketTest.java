package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The socket file EventLoop.listen binds: its mode and group, its removal, a path already taken. */
class ListenSocketTest extends CalculatorPeers {
    private Listener listen(ListenOptions options) {
        return server.listen(socket, TestSupport.calculator(schema), options);
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 0777;
    }

    /** What the socket's directory holds besides the socket: a leftover private bind directory would show. */
    private static List<Path> otherEntries(Path socket) throws IOException {
        try (Stream<Path> entries = Files.list(socket.getParent())) {
            return entries.filter(p -> !p.equals(socket)).collect(Collectors.toList());
        }
    }

    @Test
    void socketModeAndGroupAreAppliedToTheBoundFile() throws Exception {
        int group = SecondUid.ownUid() == 0 ? SecondUid.NOBODY : SecondUid.ownGid();
        listen(ListenOptions.defaults().withSocketMode(0640).withSocketGroup(group));
        assertEquals(0640, mode(socket));
        assertEquals(group, (Integer) Files.getAttribute(socket, "unix:gid"));
        assertEquals(List.of(), otherEntries(socket));
        assertEquals(3, sum(connect(), 1, 2));
    }

    @Test
    void socketPermissionsAreTheModeTheyName() throws Exception {
        listen(ListenOptions.defaults().withSocketPermissions(PosixFilePermissions.fromString("rw-rw----")));
        assertEquals(0660, mode(socket));
        assertEquals(0660, ListenOptions.defaults().withSocketPermissions(PosixFilePermissions.fromString("rw-rw----")).socketMode());
    }

    @Test
    void socketModeOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.defaults().withSocketMode(01000));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.defaults().withSocketGroup(-2));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.defaults().withBacklog(0));
    }

    @Test
    void backlogDefaultsToSomaxconn() {
        assertTrue(ListenOptions.defaults().backlog() >= 128, "SOMAXCONN, not 16: " + ListenOptions.defaults().backlog());
        assertEquals(7, ListenOptions.defaults().withBacklog(7).backlog());
    }

    @Test
    void closedListenerRemovesItsSocketFile() throws Exception {
        Listener listener = listen(ListenOptions.defaults().withSocketMode(0600));
        assertTrue(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        listener.close();
        assertFalse(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), otherEntries(socket));
    }

    @Test
    void closedLoopRemovesItsListenersSocketFile() {
        listen(ListenOptions.defaults());
        server.close();
        assertFalse(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void closedListenerKeepsAFileThatReplacedItsOwn() throws Exception {
        Listener listener = listen(ListenOptions.defaults());
        Files.delete(socket);  // someone removes ours and binds their own at the path
        int theirs = Sockets.bind(socket, 4);
        try {
            listener.close();
            assertTrue(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS), "another's socket must stay");
            Sockets.close(Sockets.connect(socket));  // and still be theirs, listening
        } finally {
            Sockets.close(theirs);
        }
    }

    @Test
    void listenOnPathOfLiveServerWithFullBacklogFailsFast() throws Exception {
        // One served client holds the only slot; two more fill a backlog of 1 (Linux queues backlog + 1).
        listen(ListenOptions.maxConnections(1).withBacklog(1));
        Client served = connect();
        assertEquals(2, sum(served, 1, 1));
        int waiting1 = Sockets.connect(socket);
        int waiting2 = Sockets.connect(socket);
        try (EventLoop second = EventLoop.start("second-server")) {
            for (ListenOptions options : List.of(ListenOptions.defaults(), ListenOptions.defaults().withSocketMode(0600))) {
                long start = System.nanoTime();
                IpcException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(IpcException.class,
                        () -> second.listen(socket, TestSupport.calculator(schema), options)));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1000, "took " + millis + " ms");
                assertTrue(e.getMessage().contains("cannot bind socket '" + socket + "': a server is already listening on it (its backlog is full)"),
                        e.getMessage());
            }
        } finally {
            Sockets.close(waiting1);
            Sockets.close(waiting2);
        }
        assertEquals(List.of(), otherEntries(socket));
        assertEquals(4, sum(served, 2, 2), "the live server is untouched");
    }

    @Test
    void listenOnPathOfLiveServerFailsWithClearMessage() {
        listen(ListenOptions.defaults());
        IpcException e = assertThrows(IpcException.class, () -> server.listen(socket, TestSupport.calculator(schema)));
        assertTrue(e.getMessage().contains("a server is already listening on it"), e.getMessage());
        assertEquals(3, sum(connect(), 1, 2));
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Sockets.close(Sockets.bind(socket, 4));  // a file nobody accepts on any more
        assertTrue(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        listen(ListenOptions.defaults().withSocketMode(0600));
        assertEquals(0600, mode(socket));
        assertEquals(5, sum(connect(), 2, 3));
    }

    @Test
    void socketModeRefusesANonOwnerAndUidAllowlistRefusesAnotherUid() throws Exception {
        SecondUid.assumeAvailable();
        SecondUid.openDirectoryOf(socket);
        Listener ownerOnly = listen(ListenOptions.defaults().withSocketMode(0600));
        assertEquals("denied", SecondUid.connectAsNobody(socket, 5));
        ownerOnly.close();

        listen(ListenOptions.defaults().withSocketMode(0666).withAllowedUids(SecondUid.ownUid()));
        assertEquals("closed", SecondUid.connectAsNobody(socket, 5));
        TestSupport.LogCapture.Line refused = serverLog.first("IPC server: refused connection from pid");
        assertEquals(LogLevel.WARNING, refused.level());
        assertTrue(refused.message().contains("uid 65534 gid 65534"), refused.message());
        assertEquals(3, sum(connect(), 1, 2), "our own uid is allowed");
    }
}
