package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.RemoteException;
import gen.nativetest.AllTypes;
import gen.nativetest.CalcInit;
import gen.nativetest.Calculator;
import gen.nativetest.Callback;
import gen.nativetest.Color;
import gen.nativetest.Echo;
import gen.nativetest.Failure;
import gen.nativetest.Hub;
import gen.nativetest.Init;
import gen.nativetest.Inner;
import gen.nativetest.Printer;
import gen.nativetest.ThreadTest;
import gen.nativetest.TypesTest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generated code of native/test/schemas, typed server and typed client over a real Unix socket. */
class NativeSchemasLiveTest {
    Live live;

    @BeforeEach
    void start() throws Exception {
        live = new Live();
    }

    @AfterEach
    void stop() throws Exception {
        live.close();
    }

    /** CalcInit served by a plain Java object. */
    static final class Calc implements CalcInit {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public String echo(String text) {
            return text;
        }

        @Override
        public void fail(String message) {
            throw new IllegalStateException(message);
        }

        @Override
        public long slow(long millis) {
            return millis;
        }
    }

    @Test
    void typedCallsReturnValuesAndRemoteFailuresThrow() throws Exception {
        Path socket = live.serve(CalcInit.implementation(new Calc()));
        try (CalcInit.Client calc = CalcInit.connect(live.clients, socket, Live.OPTIONS)) {
            assertEquals(3, calc.add(1, 2));
            assertEquals("héllo", calc.echo("héllo"));
            assertEquals(4_000_000_000L, calc.slow(4_000_000_000L), "UInt32 above Integer.MAX_VALUE is a long");
            assertEquals(42, calc.addAsync(40, 2).get(20, TimeUnit.SECONDS));
            RemoteException e = assertThrows(RemoteException.class, () -> calc.fail("oops"));
            assertTrue(e.getMessage().contains("oops"), e.getMessage());
            assertTrue(live.serverLog.stream().anyMatch(m -> m.contains("IllegalStateException: oops")), live.serverLog.toString());
            assertThrows(IllegalArgumentException.class, () -> calc.slow(-1), "a negative UInt32 is rejected, not wrapped");
        }
    }

    /** A Hub whose calculators print through the printer they are given. */
    static final class TestHub implements Hub {
        final List<String> madePrinterLines = new CopyOnWriteArrayList<>();

        @Override
        public Calculator makeCalculator(Printer printer) {
            return (a, b) -> {
                printer.print(a + " + " + b);
                return a + b;
            };
        }

        @Override
        public Printer makePrinter() {
            return madePrinterLines::add;
        }

        @Override
        public int callback(Callback cb, int arg) throws Exception {
            return cb.call(arg) + 1;
        }

        @Override
        public void raise(String name) {
            if (!name.isEmpty()) throw new Failure.Raised(new Failure(name, 7));
        }
    }

    @Test
    void capabilitiesAreTypedBothWaysAndLambdasServeSingleMethodInterfaces() throws Exception {
        TestHub impl = new TestHub();
        Path socket = live.serve(Hub.implementation(impl));
        List<String> printed = new CopyOnWriteArrayList<>();
        try (Hub.Client hub = Hub.connect(live.clients, socket, Live.OPTIONS)) {
            try (Calculator.Client calc = hub.makeCalculator(printed::add)) {
                assertEquals(5, calc.solve(2, 3));
            }
            assertEquals(List.of("2 + 3"), printed);
            assertEquals(11, hub.callback(arg -> arg * 2, 5), "a lambda is a Callback");
            try (Printer.Client printer = hub.makePrinter()) {
                printer.print("via a returned capability");
                assertEquals(List.of("via a returned capability"), impl.madePrinterLines);
            }
            hub.raise("");
            Failure.Raised raised = assertThrows(Failure.Raised.class, () -> hub.raise("bad"));
            assertEquals(new Failure("bad", 7), raised.error());
            Exception async = assertThrows(Exception.class, () -> hub.raiseAsync("worse").join());
            assertEquals(new Failure("worse", 7), ((Failure.Raised) async.getCause()).error());
        }
    }

    @Test
    void closingAClientOfAnInterfaceWithDestroyClosesTheServerObject() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        final class ClosingEcho implements Echo, AutoCloseable {
            @Override
            public String echo(String echo) {
                return echo + "!";
            }

            @Override
            public void close() {
                closed.countDown();
            }
        }
        Path socket = live.serve(Init.implementation(ClosingEcho::new));
        try (Init.Client init = Init.connect(live.clients, socket, Live.OPTIONS)) {
            Echo.Client echo = init.makeEcho();
            assertEquals("hi!", echo.echo("hi"));
            echo.close();
            assertTrue(closed.await(20, TimeUnit.SECONDS), "the server object was not closed after destroy");
        }
    }

    @Test
    void severalResultsComeBackAsARecordAndContextMethodsRunOnWorkers() throws Exception {
        Path socket = live.serve(ThreadTest.implementation(new ThreadTest() {
            @Override
            public String threadName() {
                return Thread.currentThread().getName();
            }

            @Override
            public String loopThreadName() {
                return Thread.currentThread().getName();
            }

            @Override
            public SlowResults slow(long millis) {
                return new SlowResults(millis, millis + 1);
            }
        }));
        try (ThreadTest.Client threads = ThreadTest.connect(live.clients, socket, Live.OPTIONS)) {
            assertEquals(new ThreadTest.SlowResults(5, 6), threads.slow(5));
            assertNotEquals(threads.loopThreadName(), threads.threadName());
        }
    }

    @Test
    void everyValueTypeRoundTripsAndAnAbsentStructReadsAsItsDefaults() throws Exception {
        Path socket = live.serve(TypesTest.implementation(value -> value));
        AllTypes value = AllTypes.builder().flag(true).i8((byte) -8).i16((short) -16).i32(-32).i64(-64L)
                .u8(255).u16(65535).u32(4_294_967_295L).u64(-1L).f32(1.25f).f64(-2.5).text("text")
                .data(new byte[] {1, 2, 3}).color(Color.GREEN).inner(new Inner(7, "seven"))
                .point(new AllTypes.Point(3, 4)).word("union word")
                .choice(AllTypes.Choice.builder().b(0.5).build())
                .boolList(List.of(true, false)).u64List(List.of(-1L, 1L)).textList(List.of("a", "b"))
                .dataList(List.of(new byte[] {9})).colorList(List.of(Color.BLUE, Color.RED))
                .innerList(List.of(new Inner(1, "one"))).nestedList(List.of(List.of(1, 2), List.of()))
                .build();
        try (TypesTest.Client types = TypesTest.connect(live.clients, socket, Live.OPTIONS)) {
            AllTypes back = types.roundTrip(value);
            assertArrayEquals(value.data(), back.data());
            assertArrayEquals(value.dataList().get(0), back.dataList().get(0));
            assertEquals(value.toBuilder().data(null).dataList(List.of()).build(),
                    back.toBuilder().data(null).dataList(List.of()).build());
            assertEquals(AllTypes.Which.WORD, back.which());
            assertEquals(AllTypes.Choice.Which.B, back.choice().which());
            assertEquals("18446744073709551615", Long.toUnsignedString(back.u64()));

            AllTypes defaults = types.roundTrip(null);
            assertEquals(AllTypes.DEFAULT, defaults);
            assertEquals(42, defaults.defInt());
            assertEquals("hello", defaults.defText());
            assertEquals(Color.BLUE, defaults.defColor());
            assertEquals(-1L, defaults.defU64());
            assertEquals(Inner.DEFAULT, defaults.inner());
        }
    }
}
