package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import dev.mpjava.MatrixSupport.Footprint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Misuse matrix: every public instance method of every handle type, found by reflection (a
 * new method is covered without touching this test), called (a) after the handle's own
 * close, (b) after each of its owners' close, (c) racing those closes on another thread.
 * Every case has a deadline, and at the end every native count, dispatcher registration
 * and socket fd is back where it was.
 */
class HandleMisuseMatrixTest {
    // ---- The documented rule. In situations (a) and (b) every public method throws
    // ClosedException, except these, which keep working (return normally). "*" = all.
    private static final Map<Class<?>, Set<String>> KEEP_WORKING_WHEN_CLOSED = Map.of(
            EventLoop.class, Set.of("name", "isOpen", "close"),
            Listener.class, Set.of("isClosed", "close"),
            Client.class, Set.of("type", "callTimeout", "isConnected", "close"),
            Schema.class, Set.of("isOpen", "close"),
            SpawnedProcess.class, Set.of("pid", "waitFor", "close"),
            Implementation.class, Set.of("*"),  // configuration, not a native resource
            InterfaceType.class, Set.of("*"));  // "name and methods stay readable at any time"
    // A closed schema only affects calls that serve or connect with its types (methods taking
    // an InterfaceType or Implementation); the event loop's other methods go on working.
    // In (c) a call may return normally or throw ClosedException or DisconnectedException (or
    // a checked exception its signature declares, e.g. waitFor's TimeoutException).

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration LEAK_WAIT = Duration.ofSeconds(5);
    private static final int RACES_PER_METHOD = 50;
    private static final int FLOOR = 120;  // fewer cases means a type or situation got lost

    private static final String SELF = "its close()";
    private static final String LOOP = "its event loop's close()";
    private static final String CONNECTION = "its connection's close()";
    private static final String SCHEMA = "its schema's close()";
    private static final String EXPORT_END = "its export's end (destroy by the peer)";

    /** A fresh handle with what closes it and its owners, and the arguments its methods need. */
    private final class Made {
        final String name;                      // for String parameters: a name that exists
        final Map<String, Runnable> closers = new LinkedHashMap<>();
        final List<AutoCloseable> cleanup = new ArrayList<>();
        Object handle;
        InterfaceType iface = calcInit;         // for InterfaceType parameters
        Implementation impl;                    // for Implementation parameters

        Made(String name) {
            this.name = name;
        }

        <T extends AutoCloseable> T own(T resource) {
            cleanup.add(resource);
            return resource;
        }

        Made of(Object handle) {
            this.handle = handle;
            return this;
        }

        Made closer(String what, Runnable close) {
            closers.put(what, close);
            return this;
        }

        void closeAll() throws Exception {
            for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
        }
    }

    /** A handle type: its class, the closers its situations use, and how to make one (racing or not). */
    private record Kind(String label, Class<?> type, List<String> closers, Function<Boolean, Made> make) {}

    private static final LogOptions QUIET = LogOptions.defaults().minLevel(LogLevel.WARNING).handler((l, t, m) -> {});
    private static final AtomicInteger SOCKET_NAMES = new AtomicInteger();

    private Path dir;
    private Schema calcSchema;
    private Schema hubSchema;
    private EventLoop server;
    private Path calcSocket;
    private Path hubSocket;
    private InterfaceType calcInit;
    private final AtomicInteger casesRun = new AtomicInteger();
    private final AtomicInteger racesRun = new AtomicInteger();

    private List<Kind> kinds() {
        return List.of(
                new Kind("EventLoop", EventLoop.class, List.of(SELF, SCHEMA), racing -> {
                    Made m = new Made("x");
                    Schema schema = m.own(TestSupport.calculatorSchema());
                    EventLoop loop = m.own(EventLoop.start("matrix-loop", QUIET));
                    m.iface = schema.interfaceType("CalcInit");
                    m.impl = TestSupport.calculator(schema);
                    return m.of(loop).closer(SELF, loop::close).closer(SCHEMA, schema::close);
                }),
                new Kind("Listener (with a connection)", Listener.class, List.of(SELF, LOOP), racing -> {
                    Made m = new Made("x");
                    EventLoop loop = m.own(EventLoop.start("matrix-loop", QUIET));
                    Path socket = freshSocket();
                    Listener listener = loop.listen(socket, TestSupport.calculator(calcSchema));
                    loop.connect(socket, calcInit);
                    return m.of(listener).closer(SELF, listener::close).closer(LOOP, loop::close);
                }),
                new Kind("Client (connected)", Client.class, List.of(SELF, LOOP), racing -> {
                    Made m = new Made("add");
                    EventLoop loop = m.own(EventLoop.start("matrix-loop", QUIET));
                    Client client = loop.connect(calcSocket, calcInit);
                    return m.of(client).closer(SELF, client::close).closer(LOOP, loop::close);
                }),
                new Kind("Client (received capability)", Client.class, List.of(SELF, CONNECTION, LOOP), racing -> {
                    Made m = new Made("print");
                    EventLoop loop = m.own(EventLoop.start("matrix-loop", QUIET));
                    Client hub = loop.connect(hubSocket, hubSchema.interfaceType("Hub"));
                    Client printer = hub.call("makePrinter").getClient("result");
                    return m.of(printer).closer(SELF, printer::close).closer(CONNECTION, hub::close).closer(LOOP, loop::close);
                }),
                new Kind("Implementation (exported)", Implementation.class, List.of(EXPORT_END, LOOP), racing -> {
                    Made m = new Made("print");
                    EventLoop loop = m.own(EventLoop.start("matrix-loop", QUIET));
                    Client hub = loop.connect(hubSocket, hubSchema.interfaceType("Hub"));
                    CountDownLatch ended = new CountDownLatch(1);
                    Implementation printer = Implementation.of(hubSchema.interfaceType("Printer"))
                            .on("print", (p, r) -> {}).onClose(ended::countDown);
                    // The hub's calculator holds our printer until the calculator is destroyed.
                    Client calculator = hub.call("makeCalculator", p -> p.set("printer", printer)).getClient("result");
                    return m.of(printer).closer(LOOP, loop::close).closer(EXPORT_END, () -> {
                        calculator.close();
                        if (!racing) TestSupport.waitFor("the export's close hook", DEADLINE, () -> ended.getCount() == 0);
                    });
                }),
                new Kind("Schema", Schema.class, List.of(SELF), racing -> {
                    Made m = new Made("CalcInit");
                    Schema schema = m.own(TestSupport.calculatorSchema());
                    return m.of(schema).closer(SELF, schema::close);
                }),
                new Kind("InterfaceType", InterfaceType.class, List.of(SCHEMA), racing -> {
                    Made m = new Made("x");
                    Schema schema = m.own(TestSupport.calculatorSchema());
                    return m.of(schema.interfaceType("CalcInit")).closer(SCHEMA, schema::close);
                }),
                new Kind("SpawnedProcess (sh reading its socket)", SpawnedProcess.class, List.of(SELF), racing -> {
                    Made m = new Made("x");
                    // Reads its socket ($0) until end of file: exits once our end is closed.
                    SpawnedProcess child = m.own(SpawnedProcess.spawn(List.of("bash", "-c", "read -u \"$0\" x", SpawnedProcess.FD)));
                    return m.of(child).closer(SELF, child::close);
                }));
    }

    @TestFactory
    Stream<DynamicNode> everyPublicMethodOfEveryHandleAfterAndDuringClose() throws Exception {
        TestSupport.calculatorSchema().close();  // the first schema load opens a socket for good (one-time set-up)
        Footprint baseline = Footprint.settled();
        dir = Files.createTempDirectory("mpjava-matrix");
        calcSchema = TestSupport.calculatorSchema();
        hubSchema = Schema.load(TestSupport.SCHEMAS.resolve("callbacks.capnp"));
        calcInit = calcSchema.interfaceType("CalcInit");
        server = EventLoop.start("matrix-server", QUIET);
        calcSocket = freshSocket();
        hubSocket = freshSocket();
        server.listen(calcSocket, TestSupport.calculator(calcSchema));
        server.listen(hubSocket, TestSupport.hub(hubSchema, Collections.synchronizedList(new ArrayList<>())));
        AtomicReference<Footprint> before = new AtomicReference<>(Footprint.settled());  // with the server up

        List<Kind> kinds = kinds();
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(dynamicTest("every public class of dev.mpjava with close() is a kind here", () -> {
            Set<String> covered = new TreeSet<>();
            for (Kind k : kinds) covered.add(k.type().getName());
            for (String c : MatrixSupport.closeableClasses()) assertTrue(covered.contains(c), c + " has close() but no Kind here");
        }));
        int planned = 0;
        int methodCount = 0;
        for (Kind kind : kinds) {
            List<Method> methods = MatrixSupport.publicMethods(kind.type());
            assertFalse(methods.isEmpty(), kind.label() + " has no public methods?");
            methodCount += methods.size();
            List<DynamicNode> cases = new ArrayList<>();
            for (Method m : methods) {
                String sig = MatrixSupport.signature(m);
                for (String closer : kind.closers()) {
                    String where = kind.label() + " · " + sig + " · after " + closer;
                    cases.add(dynamicTest(sig + " after " + closer, () -> timed(where, () -> afterClose(kind, m, closer, where))));
                }
                String racing = "racing " + String.join(" / ", kind.closers()) + " on another thread";
                String where = kind.label() + " · " + sig + " · " + racing;
                cases.add(dynamicTest(sig + " " + racing, () -> timed(where, () -> racingClose(kind, m, where))));
                planned += kind.closers().size() + 1;
            }
            cases.add(dynamicTest("nothing left behind", () -> {
                String left = Footprint.awaitBack(before.get(), LEAK_WAIT);
                before.set(Footprint.now());  // the next kind is judged on its own
                assertTrue(left.isEmpty(), kind.label() + ": after its cases, not back where they started: " + left);
            }));
            nodes.add(dynamicContainer(kind.label(), cases));
        }
        int total = planned;
        String size = kinds.size() + " types × " + methodCount + " methods × their situations = " + total + " cases";
        long started = System.nanoTime();
        nodes.add(dynamicTest("matrix of " + size + " leaves no handle, connection, worker, registration or socket behind", () -> {
            assertEquals(total, casesRun.get(), "every planned case ran");
            assertTrue(total >= FLOOR, "the matrix shrank below " + FLOOR + " cases: " + size);
            closeShared();
            String left = Footprint.awaitBack(baseline, LEAK_WAIT);
            System.out.printf("HandleMisuseMatrixTest: %s (%d racing rounds) in %.1f s%n",
                    size, racesRun.get(), (System.nanoTime() - started) / 1e9);
            assertTrue(left.isEmpty(), "after " + size + ", not back at the baseline: " + left);
        }));
        return nodes.stream();
    }

    @AfterEach
    void closeShared() throws IOException {
        if (server != null) server.close();
        if (calcSchema != null) calcSchema.close();
        if (hubSchema != null) hubSchema.close();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    // ---- the situations ----

    private void timed(String where, Executable body) {
        casesRun.incrementAndGet();
        assertTimeoutPreemptively(DEADLINE, body, () -> where + ": no answer within " + DEADLINE.toSeconds() + " s (hang)");
    }

    /** (a) and (b): the closer has returned, then the method is called once. */
    private void afterClose(Kind kind, Method method, String closer, String where) throws Exception {
        Made made = kind.make().apply(false);
        try {
            made.closers.get(closer).run();
            Object[] args = args(method, made);
            Object[] result = new Object[1];
            Throwable thrown = invoke(method, made.handle, args, result);
            boolean affected = !closer.equals(SCHEMA) || kind.type() == InterfaceType.class || usesSchema(method);
            if (affected && !keepsWorking(method)) {
                if (!(thrown instanceof ClosedException)) fail(where + ": expected ClosedException, got " + describe(thrown, result[0]), thrown);
            } else if (thrown != null) {
                fail(where + ": expected to keep working, got " + describe(thrown, null), thrown);
            }
            dispose(method, result[0], made, where, false);
        } finally {
            made.closeAll();
        }
    }

    /** (c): the method is called while another thread runs one of the closers (in turn). */
    private void racingClose(Kind kind, Method method, String where) throws Exception {
        for (int i = 0; i < RACES_PER_METHOD; i++) {
            Made made = kind.make().apply(true);
            String closer = kind.closers().get(i % kind.closers().size());
            try {
                Object[] args = args(method, made);
                CyclicBarrier go = new CyclicBarrier(2);
                AtomicReference<Throwable> closeFailed = new AtomicReference<>();
                int round = i;
                Thread closing = new Thread(() -> {
                    try {
                        go.await();
                        if (round % 2 == 0) pause(round);
                        made.closers.get(closer).run();
                    } catch (Throwable e) {
                        closeFailed.set(e);
                    }
                }, "matrix-closer");
                closing.start();
                go.await();
                if (round % 2 == 1) pause(round);
                Object[] result = new Object[1];
                Throwable thrown = invoke(method, made.handle, args, result);
                String at = where + " (round " + i + ", " + closer + ")";
                boolean allowed = thrown == null || declared(method, thrown) || (!keepsWorking(method) && raceOutcome(thrown));
                if (!allowed) {
                    fail(at + ": expected a normal return" + (keepsWorking(method) ? "" : ", ClosedException or DisconnectedException")
                            + ", got " + describe(thrown, null), thrown);
                }
                dispose(method, result[0], made, at, true);  // before the join: a close may wait for a taken socket
                closing.join();
                if (closeFailed.get() != null) fail(at + ": the closer threw " + closeFailed.get(), closeFailed.get());
                racesRun.incrementAndGet();
            } finally {
                made.closeAll();
            }
        }
    }

    private static boolean raceOutcome(Throwable t) {
        return t instanceof ClosedException || t instanceof DisconnectedException;
    }

    /** A checked exception the method declares (TimeoutException of waitFor), not InterruptedException. */
    private static boolean declared(Method m, Throwable t) {
        if (t instanceof RuntimeException || t instanceof Error || t instanceof InterruptedException) return false;
        return Arrays.stream(m.getExceptionTypes()).anyMatch(c -> c.isInstance(t));
    }

    private static boolean keepsWorking(Method m) {
        Set<String> kept = KEEP_WORKING_WHEN_CLOSED.getOrDefault(m.getDeclaringClass(), Set.of());
        return kept.contains("*") || kept.contains(m.getName());
    }

    private static boolean usesSchema(Method m) {
        return Arrays.stream(m.getParameterTypes()).anyMatch(p -> p == InterfaceType.class || p == Implementation.class);
    }

    /** What a call returned: futures must complete, sockets taken are closed, handles are closed with the case. */
    private static void dispose(Method m, Object value, Made made, String where, boolean racing) throws Exception {
        if (value instanceof CompletableFuture<?> future) {
            try {
                future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!racing || !raceOutcome(e.getCause())) {
                    fail(where + ": the returned future failed with " + describe(e.getCause(), null), e.getCause());
                }
            }
        } else if (value instanceof AutoCloseable resource && value != made.handle) {
            made.own(resource);
        } else if (value instanceof Integer fd && m.getName().startsWith("take")) {
            Sockets.close(fd);
        }
    }

    // ---- arguments ----

    private Object[] args(Method m, Made made) {
        Class<?>[] types = m.getParameterTypes();
        boolean serving = Arrays.asList(types).contains(Implementation.class)
                || Arrays.asList(types).contains(ImplementationFactory.class);
        boolean listening = Arrays.asList(types).contains(ListenOptions.class);
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == String.class) out[i] = made.name;
            else if (t == Consumer.class) out[i] = (Consumer<Object>) x -> {};
            else if (t == Runnable.class) out[i] = (Runnable) () -> {};
            else if (t == java.util.concurrent.Executor.class) out[i] = (java.util.concurrent.Executor) Runnable::run;
            else if (t == MethodHandler.class) out[i] = (MethodHandler) (p, r) -> {};
            else if (t == CallInterceptor.class) out[i] = (CallInterceptor) (call, outcome) -> {};
            else if (t == ConnectionEvents.class) out[i] = new ConnectionEvents() {};
            else if (t == Duration.class) out[i] = Duration.ofMillis(50);
            else if (t == long.class) out[i] = 50L;
            else if (t == TimeUnit.class) out[i] = TimeUnit.MILLISECONDS;
            else if (t == Path.class) out[i] = serving ? freshSocket() : calcSocket;  // connect: a served socket
            else if (t == int.class) out[i] = listening ? Sockets.bind(freshSocket(), 16) : pairEnd();
            else if (t == InterfaceType.class) out[i] = made.iface;
            else if (t == Implementation.class) out[i] = made.impl != null ? made.impl : TestSupport.calculator(calcSchema);
            else if (t == ImplementationFactory.class) out[i] = (ImplementationFactory) peer -> TestSupport.calculator(calcSchema);
            else if (t == ListenOptions.class) out[i] = ListenOptions.defaults();
            else if (t == ConnectOptions.class) out[i] = ConnectOptions.defaults();
            else if (t.isEnum()) out[i] = t.getEnumConstants()[t.getEnumConstants().length - 1];
            else fail("no argument for a " + t.getName() + " parameter of " + m + ": teach HandleMisuseMatrixTest.args");
        }
        return out;
    }

    /** One end of a fresh socketpair whose other end is already closed (a peer that went away). */
    private static int pairEnd() {
        int[] fds = Sockets.pair();
        Sockets.close(fds[1]);
        return fds[0];
    }

    private Path freshSocket() {
        return dir.resolve("s" + SOCKET_NAMES.incrementAndGet() + ".sock");
    }

    private static Throwable invoke(Method m, Object target, Object[] args, Object[] result) throws IllegalAccessException {
        try {
            result[0] = m.invoke(target, args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    private static String describe(Throwable thrown, Object returned) {
        return thrown == null ? "a normal return (" + returned + ")" : thrown.getClass().getName() + ": " + thrown.getMessage();
    }

    /** Busy-waits 0..~200 µs, varying by round, so close and call meet at different points. */
    private static void pause(int round) {
        long until = System.nanoTime() + (round * 37L % 200) * 1_000;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }
}
