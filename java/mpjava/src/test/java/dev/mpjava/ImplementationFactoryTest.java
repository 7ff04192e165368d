package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.internal.Dispatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * listen and serve with an ImplementationFactory: one implementation per accepted
 * connection, made with that connection's Peer; a factory that throws or returns null
 * refuses that connection only (logged on dev.mpjava.server) and the listener goes on.
 */
class ImplementationFactoryTest {
    private Schema schema;
    private InterfaceType calc;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;
    private final List<Peer> made = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        schema = TestSupport.calculatorSchema();
        calc = schema.interfaceType("CalcInit");
        server = EventLoop.start("factory-server");
        clients = EventLoop.start("factory-clients");
        socket = TestSupport.tempSocket("factory.sock");
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    /** A CalcInit whose add keeps a running total: state of this connection only. */
    private Implementation runningTotal(Peer peer) {
        made.add(peer);
        long[] total = new long[1];
        return Implementation.of(calc).on("add", (p, r) -> {
            total[0] += p.getInt("a") + p.getInt("b");
            r.set("result", total[0]);
        });
    }

    private static int add(Client client, int a) {
        return client.call("add", p -> p.set("a", a).set("b", 0)).getInt("result");
    }

    @Test
    void twoClientsGetSeparateState() {
        server.listen(socket, this::runningTotal);
        try (Client first = clients.connect(socket, calc); Client second = clients.connect(socket, calc)) {
            assertEquals(1, add(first, 1));
            assertEquals(10, add(second, 10));
            assertEquals(3, add(first, 2));
            assertEquals(30, add(second, 20));
        }
        assertEquals(2, made.size(), "one implementation per connection");
    }

    @Test
    void factorySeesTheConnectionsPeerAsHandlersDo() throws Exception {
        List<Peer> callers = new CopyOnWriteArrayList<>();
        server.listen(socket, peer -> {
            made.add(peer);
            return Implementation.of(calc).on("add", (p, r) -> {
                callers.add(CallContext.current().peer());
                r.set("result", 0);
            });
        });
        try (Client first = clients.connect(socket, calc); Client second = clients.connect(socket, calc)) {
            add(first, 1);
            add(second, 1);
        }
        Path self = Path.of("/proc/self");
        for (Peer peer : made) {
            assertEquals(ProcessHandle.current().pid(), peer.pid());
            assertEquals(Files.getAttribute(self, "unix:uid"), peer.uid());
            assertEquals(Files.getAttribute(self, "unix:gid"), peer.gid());
        }
        assertEquals(made, callers, "the factory's Peer is the one the connection's handlers see");
        assertTrue(made.get(0).connectionId() != made.get(1).connectionId(), made.toString());
    }

    @Test
    void throwingOrNullFactoryRefusesThatConnectionAndTheListenerKeepsServing() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        ImplementationFactory flaky = peer -> switch (connections.incrementAndGet()) {
            case 1 -> throw new IllegalStateException("no implementation for the first peer");
            case 2 -> null;
            default -> runningTotal(peer);
        };
        try (TestSupport.JulCapture log = new TestSupport.JulCapture()) {
            Listener listener = server.listen(socket, flaky);
            for (int refused = 0; refused < 2; refused++) {
                try (Client client = clients.connect(socket, calc)) {
                    assertThrows(DisconnectedException.class, () -> add(client, 1));
                }
            }
            try (Client served = clients.connect(socket, calc)) {
                assertEquals(5, add(served, 5));
                assertEquals(1, listener.activeConnections(), "refused connections take no slot");
            }
            waitFor("both refusals logged", () -> log.records().stream()
                    .filter(r -> r.getMessage().contains("refused connection")).count() == 2);
            LogRecord threw = log.first("the implementation factory threw java.lang.IllegalStateException: "
                    + "no implementation for the first peer");
            assertEquals("dev.mpjava.server", threw.getLoggerName());
            assertEquals(Level.WARNING, threw.getLevel());
            assertTrue(threw.getMessage().startsWith("IPC server: refused connection from pid "
                    + ProcessHandle.current().pid()), threw.getMessage());
            log.first("the implementation factory returned null");
        }
    }

    @Test
    void anInterfaceTheListenerServedStaysServedAfterItsSchemaIsClosed() {
        server.listen(socket, this::runningTotal);
        try (Client before = clients.connect(socket, calc)) {
            assertEquals(1, add(before, 1));
        }
        schema.close();
        try (Schema fresh = TestSupport.calculatorSchema();
                Client after = clients.connect(socket, fresh.interfaceType("CalcInit"))) {
            assertEquals(2, add(after, 2), "a new connection is served the closed schema's interface");
        }
    }

    @Test
    void eachConnectionsHandlerIsReleasedWhenItEnds() {
        server.listen(socket, this::runningTotal);
        int before = Dispatcher.registrations();
        for (int i = 0; i < 3; i++) {
            try (Client client = clients.connect(socket, calc)) {
                add(client, 1);
            }
        }
        waitFor("the connections' handlers released", () -> Dispatcher.registrations() <= before);
    }

    @Test
    void serveCallsTheFactoryOnceForItsConnection() {
        int[] fds = Sockets.pair();
        server.serve(fds[0], this::runningTotal);
        try (Client client = clients.connect(fds[1], calc)) {
            assertEquals(4, add(client, 4));
            assertEquals(6, add(client, 2));
        }
        assertEquals(1, made.size());
    }

    @Test
    void aSharedImplementationServesEveryConnectionAsBefore() {
        server.listen(socket, TestSupport.calculator(schema));
        try (Client first = clients.connect(socket, calc); Client second = clients.connect(socket, calc)) {
            assertEquals(3, first.call("add", p -> p.set("a", 1).set("b", 2)).getInt("result"));
            assertEquals(7, second.call("add", p -> p.set("a", 3).set("b", 4)).getInt("result"));
        }
    }
}
