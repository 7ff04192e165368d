package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The scenarios of upstream's listen_tests.cpp, driven from Java over real Unix sockets. */
class ListenConnectionsTest extends CalculatorPeers {
    /** How long a client over the cap is watched to make sure it is not served. */
    private static final long STILL_WAITING_MS = 200;


    private Listener listen(ListenOptions options) {
        return server.listen(socket, TestSupport.calculator(schema), options);
    }

    private static CompletableFuture<StructValue> add(Client client, int a, int b) {
        return client.callAsync("add", p -> p.set("a", a).set("b", b));
    }

    private static int served(CompletableFuture<StructValue> call) throws Exception {
        return call.get(10, TimeUnit.SECONDS).getInt("result");
    }

    private static boolean stillWaiting(CompletableFuture<StructValue> call) throws Exception {
        try {
            call.get(STILL_WAITING_MS, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException expected) {
            return true;
        }
    }

    @Test
    void acceptsIncomingConnectionsWithoutLimit() throws Exception {
        Listener listener = listen(ListenOptions.defaults());
        List<Client> connected = new ArrayList<>();
        for (int i = 0; i < 5; i++) connected.add(connect());
        for (int i = 0; i < 5; i++) assertEquals(2 * i, served(add(connected.get(i), i, i)));
        assertEquals(5, listener.activeConnections());
        waitFor("5 connect log lines", () -> serverLog.count("IPC server: socket connected.") == 5);
    }

    @Test
    void maxOneServesSecondClientOnlyAfterFirstDisconnects() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(1));
        Client first = connect();
        assertEquals(2, served(add(first, 1, 1)));

        Client second = connect();
        CompletableFuture<StructValue> waiting = add(second, 2, 2);
        assertTrue(stillWaiting(waiting), "second client must wait while the first is connected");
        assertEquals(1, listener.activeConnections());

        first.close();
        assertEquals(4, served(waiting));
        assertEquals(1, listener.activeConnections());

        second.close();
        waitFor("both clients to leave", () -> listener.activeConnections() == 0);
        Client third = connect();
        assertEquals(6, served(add(third, 3, 3)));
        assertTrue(serverLog.contains("IPC server: socket disconnected."));
    }

    @Test
    void maxTwoKeepsThirdClientWaitingUntilOneLeaves() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(2));
        Client a = connect();
        Client b = connect();
        assertEquals(1, served(add(a, 1, 0)));
        assertEquals(2, served(add(b, 2, 0)));
        Client c = connect();
        CompletableFuture<StructValue> waiting = add(c, 3, 0);
        assertTrue(stillWaiting(waiting), "third client must wait at the cap of two");
        assertEquals(2, listener.activeConnections());
        b.close();
        assertEquals(3, served(waiting));
        assertEquals(2, listener.activeConnections());
    }

    @Test
    void clientThatDisconnectsBeforeBeingAcceptedDoesNotStopListener() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(1));
        Client first = connect();
        assertEquals(2, served(add(first, 1, 1)));
        int early = Sockets.connect(socket);  // completes connect() into the backlog...
        Sockets.close(early);                 // ...and leaves before it is accepted
        first.close();
        Client later = connect();
        assertEquals(10, served(add(later, 5, 5)));
        assertEquals(1, listener.activeConnections());
    }

    @Test
    void disconnectBurstAtCapacityLeaksNoAcceptPromises() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(1));
        List<Client> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) burst.add(connect());
        assertEquals(0, served(add(burst.get(0), 0, 0)));
        for (Client c : burst) c.close();  // five of them were never accepted
        waitFor("the burst to drain", () -> listener.activeConnections() == 0);
        Client after = connect();
        assertEquals(8, served(add(after, 4, 4)));
        after.close();
        waitFor("the last client to leave", () -> listener.activeConnections() == 0);
        server.close();
        assertTrue(serverLog.contains("EventLoop::loop bye."), serverLog.dump());
        assertFalse(serverLog.contains("PromiseFulfiller"), serverLog.dump());
        assertFalse(serverLog.contains("Uncaught exception"), serverLog.dump());
    }

    @Test
    void reconnectAfterIdleGapBelowCapIsServed() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(2));
        Client a = connect();
        assertEquals(1, served(add(a, 1, 0)));
        a.close();
        waitFor("the client to leave", () -> listener.activeConnections() == 0);
        Thread.sleep(300);  // the idle gap itself is the scenario, not a wait for a result
        Client b = connect();
        assertEquals(2, served(add(b, 2, 0)));
        assertEquals(1, listener.activeConnections());
    }

    @Test
    void limitIsLocalToEachListener() throws Exception {
        Listener capped = listen(ListenOptions.maxConnections(1));
        Path otherSocket = TestSupport.tempSocket("other.sock");
        Listener open = server.listen(otherSocket, TestSupport.calculator(schema));
        Client a = connect();
        assertEquals(1, served(add(a, 1, 0)));
        List<Client> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) others.add(clients.connect(otherSocket, schema.interfaceType("CalcInit")));
        for (Client o : others) assertEquals(7, served(add(o, 3, 4)));
        assertEquals(1, capped.activeConnections());
        assertEquals(3, open.activeConnections());
    }

    @Test
    void closedListenerStopsAcceptingButKeepsServingExistingConnections() throws Exception {
        Listener listener = listen(ListenOptions.defaults());
        List<long[]> events = new ArrayList<>();
        listener.watchConnections(new ConnectionEvents() {
            @Override
            public void connected(Peer peer, int active) {
                synchronized (events) {
                    events.add(new long[] {1, peer.connectionId(), active});
                }
            }

            @Override
            public void disconnected(Peer peer, int active) {
                synchronized (events) {
                    events.add(new long[] {2, peer.connectionId(), active});
                }
            }
        });
        Client a = connect();
        assertEquals(3, served(add(a, 1, 2)));
        listener.close();
        assertEquals(5, served(add(a, 2, 3)), "existing connection keeps working after close");
        IpcException refused = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class, this::connect);
        assertTrue(refused.getMessage().contains("cannot connect to socket"), refused.getMessage());
        a.close();
        waitFor("the disconnect event", () -> {
            synchronized (events) {
                return events.size() == 2;
            }
        });
        synchronized (events) {
            assertEquals(1, events.get(0)[0]);
            assertEquals(1, events.get(0)[2]);
            assertEquals(2, events.get(1)[0]);
            assertEquals(0, events.get(1)[2]);
        }
        org.junit.jupiter.api.Assertions.assertThrows(ClosedException.class, listener::activeConnections,
                "a closed listener's handle is released");
    }

    @Test
    void waitingClientsAreServedInTurnAsSlotsFree() throws Exception {
        Listener listener = listen(ListenOptions.maxConnections(1));
        List<Client> queue = new ArrayList<>();
        List<CompletableFuture<StructValue>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Client c = connect();
            queue.add(c);
            calls.add(add(c, i, 100));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(100 + i, served(calls.get(i)));
            queue.get(i).close();
        }
        waitFor("all to leave", Duration.ofSeconds(10), () -> listener.activeConnections() == 0);
    }
}
