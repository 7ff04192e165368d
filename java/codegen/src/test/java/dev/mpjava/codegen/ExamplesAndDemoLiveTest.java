package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.RemoteException;
import gen.demo.Counter;
import gen.demo.DemoInit;
import gen.examples.CalculatorInterface;
import gen.examples.InitInterface;
import gen.examples.PrinterInterface;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generated code of the examples' and the CLI demo's schemas, over a real Unix socket. */
class ExamplesAndDemoLiveTest {
    Live live;

    @BeforeEach
    void start() throws Exception {
        live = new Live();
    }

    @AfterEach
    void stop() throws Exception {
        live.close();
    }

    @Test
    void theExampleCalculatorPrintsThroughTheClientsPrinter() throws Exception {
        Path socket = live.serve(InitInterface.implementation(new InitInterface() {
            @Override
            public CalculatorInterface makeCalculator(PrinterInterface printer) {
                return eqn -> printer.print(eqn + " = ?");
            }

            @Override
            public PrinterInterface makePrinter() {
                return text -> { };
            }
        }));
        List<String> printed = new CopyOnWriteArrayList<>();
        try (InitInterface.Client init = InitInterface.connect(live.clients, socket, Live.OPTIONS);
                CalculatorInterface.Client calc = init.makeCalculator(printed::add)) {
            calc.solveEquation("1+1");
            calc.solveEquationAsync("2*3").join();
        }
        assertEquals(List.of("1+1 = ?", "2*3 = ?"), printed);
    }

    @Test
    void theDemoServesTypedCountersAndFailures() throws Exception {
        Path socket = live.serve(DemoInit.implementation(new DemoInit() {
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
            public Counter makeCounter(long start) {
                AtomicLong next = new AtomicLong(start);
                return next::getAndIncrement;
            }
        }));
        try (DemoInit.Client demo = DemoInit.connect(live.clients, socket, Live.OPTIONS);
                Counter.Client counter = demo.makeCounter(10)) {
            assertEquals(3, demo.add(1, 2));
            assertEquals("hi", demo.echo("hi"));
            assertEquals(10, counter.next());
            assertEquals(11, counter.next());
            RemoteException e = assertThrows(RemoteException.class, () -> demo.fail("oops"));
            assertEquals("java.lang.IllegalStateException", e.remoteType());
            assertTrue(live.serverLog.stream().anyMatch(m -> m.contains("IllegalStateException: oops")), live.serverLog.toString());
        }
    }
}
