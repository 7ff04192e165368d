package dev.mpjava;

import static dev.mpjava.TestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Handlers see the calling connection's Peer (CallContext), on the loop thread, on a
 * handler executor and on Context workers; the per-connection thread limit reaches the
 * server from ListenOptions and refuses a peer's thread beyond it.
 */
class CallerPeerAndThreadLimitTest {
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Path socket;
    private final List<Long> connected = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("threads.capnp"));
        // Refused makeThread calls are logged by the client loop; expected here.
        clients = EventLoop.start("pclients", TestSupport.LogCapture.expecting("thread limit reached").options(LogLevel.INFO));
        server = EventLoop.start("pserver", TestSupport.LogCapture.expecting("thread limit reached").options(LogLevel.INFO));
        socket = TestSupport.tempSocket("peer.sock");
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    /** ThreadTest whose handlers answer "connectionId pid uid gid" of their caller. */
    private Listener listen(ListenOptions options) {
        MethodHandler whoCalls = (p, r) -> {
            Peer peer = CallContext.current().peer();
            r.set("result", peer.connectionId() + " " + peer.pid() + " " + peer.uid() + " " + peer.gid());
        };
        Listener listener = server.listen(socket, Implementation.of(schema.interfaceType("ThreadTest"))
                .on("threadName", whoCalls)       // a Context method: on a worker thread
                .on("loopThreadName", whoCalls),  // no Context: the loop thread or the executor
                options);
        listener.watchConnections(new ConnectionEvents() {
            @Override
            public void connected(Peer peer, int active) {
                connected.add(peer.connectionId());
            }
        });
        return listener;
    }

    private static String self(long connectionId) throws Exception {
        Path proc = Path.of("/proc/self");
        return connectionId + " " + ProcessHandle.current().pid() + " " + Files.getAttribute(proc, "unix:uid") + " "
                + Files.getAttribute(proc, "unix:gid");
    }

    private void checkTwoConnections(String method) throws Exception {
        Client first = clients.connect(socket, schema.interfaceType("ThreadTest"));
        first.call("loopThreadName");
        Client second = clients.connect(socket, schema.interfaceType("ThreadTest"));
        second.call("loopThreadName");
        waitFor("two connected events", () -> connected.size() == 2);
        assertEquals(self(connected.get(0)), first.call(method).getString("result"));
        assertEquals(self(connected.get(1)), second.call(method).getString("result"));
    }

    @Test
    void loopThreadHandlersSeeTheirCallersPeer() throws Exception {
        listen(ListenOptions.defaults());
        checkTwoConnections("loopThreadName");
    }

    @Test
    void executorHandlersSeeTheirCallersPeer() throws Exception {
        listen(ListenOptions.defaults().withHandlerThreads(2, 4));
        checkTwoConnections("loopThreadName");
    }

    @Test
    void contextHandlersOnWorkersSeeTheirCallersPeer() throws Exception {
        listen(ListenOptions.defaults());
        checkTwoConnections("threadName");
    }

    @Test
    void callContextOutsideAHandlerIsAnError() {
        assertThrows(IllegalStateException.class, CallContext::current);
    }

    /** client.call(method) on a new thread; its failure's message, or null. */
    private static String callFromNewThread(Client client, String method) throws InterruptedException {
        String[] refused = new String[1];
        Thread caller = new Thread(() -> {
            try {
                client.call(method);
            } catch (RemoteException e) {
                refused[0] = e.getMessage();
            }
        }, "other-caller");
        caller.start();
        caller.join(10_000);
        return refused[0];
    }

    @Test
    void threadBeyondTheConnectionsLimitIsRefusedAndEarlierThreadsKeepWorking() throws Exception {
        long workersBefore = NativeStats.snapshot().workerThreads();
        listen(ListenOptions.defaults().withMaxThreadsPerConnection(2));
        Client client = clients.connect(socket, schema.interfaceType("ThreadTest"));
        // Each calling Java thread gets its own server thread (makeThread): two fit.
        client.call("threadName");
        assertEquals(null, callFromNewThread(client, "threadName"));
        String refused = callFromNewThread(client, "threadName");
        assertTrue(refused != null && refused.contains("makeThread refused: thread limit reached"), refused);
        client.call("threadName");  // the first thread's server thread still serves it
        client.close();
        waitFor("worker threads back to baseline", () -> NativeStats.snapshot().workerThreads() <= workersBefore);
    }
}
