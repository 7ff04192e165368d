package dev.mpjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpjava.EventLoop;
import dev.mpjava.SpawnedProcess;
import dev.mpjava.examples.schema.CalculatorInterface;
import dev.mpjava.examples.schema.InitInterface;
import dev.mpjava.examples.schema.PrinterInterface;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The example's {@link Calculator} as a real child process (started with a socketpair fd on
 * its command line, like upstream's mpcalculator), printing through a printer served by
 * this test.
 */
class SpawnedCalculatorTest {
    /** A printer that records what it prints and when it is destroyed. */
    record Recorder(List<String> lines, AtomicInteger destroyed) implements PrinterInterface, AutoCloseable {
        @Override
        public void print(String text) {
            lines.add(text);
        }

        @Override
        public void close() {
            destroyed.incrementAndGet();
        }
    }

    @Test
    void spawnedJavaCalculatorPrintsThroughPrinterInParentAndExitsWhenParentLeaves() throws Exception {
        Recorder printer = new Recorder(new CopyOnWriteArrayList<>(), new AtomicInteger());
        try (EventLoop loop = EventLoop.start("parent");
                SpawnedProcess child = SpawnedProcess.spawn(SpawnedProcess.javaCommand(Calculator.class, SpawnedProcess.FD))) {
            MethodLatency latency = new MethodLatency();
            InitInterface.Client init = InitInterface.connect(loop, child.takeSocket(), latency.options());
            CalculatorInterface.Client calculator = init.makeCalculator(printer);
            calculator.solveEquation("1+1");
            assertEquals(List.of("Wow 1+1, that's a tough one.\n"), printer.lines());
            // The calculator came back over the init connection: its calls are recorded too.
            assertEquals(1, latency.calls("InitInterface.makeCalculator"), latency.report());
            assertEquals(1, latency.calls("CalculatorInterface.solveEquation"), latency.report());
            calculator.close();  // destroy: the child drops its printer client, which destroys ours
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (printer.destroyed().get() != 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, printer.destroyed().get(), "the child destroys the printer once its calculator is destroyed");
            init.close();
            assertEquals(0, child.waitFor(30, TimeUnit.SECONDS), "the child exits cleanly once we leave");
        }
    }
}
