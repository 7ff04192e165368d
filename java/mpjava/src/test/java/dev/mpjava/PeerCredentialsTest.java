package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer's SO_PEERCRED credentials on connection events, and the uid/gid allowlists. */
class PeerCredentialsTest extends CalculatorPeers {
    /** Connection events as (connected?, peer, active). */
    private record Seen(boolean connected, Peer peer, int active) {}

    private final List<Seen> seen = new ArrayList<>();

    private Listener listen(ListenOptions options) {
        Listener listener = server.listen(socket, TestSupport.calculator(schema), options);
        listener.watchConnections(new ConnectionEvents() {
            @Override
            public void connected(Peer peer, int active) {
                synchronized (seen) {
                    seen.add(new Seen(true, peer, active));
                }
            }

            @Override
            public void disconnected(Peer peer, int active) {
                synchronized (seen) {
                    seen.add(new Seen(false, peer, active));
                }
            }
        });
        return listener;
    }

    private List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    @Test
    void connectionEventsCarryThisProcessPidUidGid() throws Exception {
        listen(ListenOptions.defaults());
        Client client = connect();
        assertEquals(3, sum(client, 1, 2));
        client.close();
        waitFor("connected and disconnected events", () -> seen().size() == 2);
        Peer expected = new Peer(1, (int) ProcessHandle.current().pid(), SecondUid.ownUid(), SecondUid.ownGid());
        assertEquals(new Seen(true, expected, 1), seen().get(0));
        assertEquals(new Seen(false, expected, 0), seen().get(1));
    }

    @Test
    void unlistedPeerIsClosedAtOnceLoggedAndNeverReported() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(1).withAllowedUids(SecondUid.ownUid() + 4242)
                .withAllowedGids(SecondUid.ownGid() + 4242));
        for (int i = 0; i < 3; i++) {
            Client refused = connect();
            assertThrows(DisconnectedException.class, () -> sum(refused, 1, 1));
            refused.close();
        }
        String expected = "IPC server: refused connection from pid " + ProcessHandle.current().pid() + " uid "
                + SecondUid.ownUid() + " gid " + SecondUid.ownGid();
        waitFor("three refusals logged", () -> serverLog.count(expected) == 3);
        assertEquals(LogLevel.WARNING, serverLog.first(expected).level());
        assertEquals(0, listener.activeConnections());
        assertEquals(List.of(), seen());
        assertEquals(0, serverLog.count("IPC server: socket connected."));
    }

    @Test
    void refusedPeersDoNotCountAgainstMaxConnections() throws Exception {
        SecondUid.assumeAvailable();
        SecondUid.openDirectoryOf(socket);
        Listener listener = listen(ListenOptions.maxConnections(1).withSocketMode(0666).withAllowedUids(SecondUid.ownUid()));
        for (int i = 0; i < 3; i++) assertEquals("closed", SecondUid.connectAsNobody(socket, 5));
        assertEquals(3, serverLog.count("uid 65534 gid 65534: neither its uid nor its gid is allowed"));
        assertEquals(0, listener.activeConnections());
        Client allowed = connect();
        assertEquals(7, sum(allowed, 3, 4), "the one slot is free for an allowed peer");
        assertEquals(1, listener.activeConnections());
        assertEquals(1, seen().size());
        assertEquals(SecondUid.ownUid(), seen().get(0).peer().uid());
    }

    @Test
    void gidAllowlistAdmitsAPeerOfThatGroup() throws Exception {
        listen(ListenOptions.defaults().withAllowedUids(SecondUid.ownUid() + 4242).withAllowedGids(SecondUid.ownGid()));
        assertEquals(3, sum(connect(), 1, 2));
        assertTrue(seen().get(0).connected());
    }

    @Test
    void emptyAllowlistIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.defaults().withAllowedUids());
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.defaults().withAllowedGids(-1));
    }
}
