package dev.mpjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.SpawnedProcess;
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
    @Test
    void spawnedJavaCalculatorPrintsThroughPrinterInParentAndExitsWhenParentLeaves() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger printerDestroyed = new AtomicInteger();
        try (ExampleSchema schema = new ExampleSchema();
                EventLoop loop = EventLoop.start("parent");
                SpawnedProcess child = SpawnedProcess.spawn(SpawnedProcess.javaCommand(Calculator.class, SpawnedProcess.FD))) {
            MethodLatency latency = new MethodLatency();
            Client init = loop.connect(child.takeSocket(), schema.init, latency.options());
            Implementation printer = Implementation.of(schema.printer)
                    .on("print", (p, r) -> lines.add(p.getString("text")))
                    .onClose(printerDestroyed::incrementAndGet);
            Client calculator = init.call("makeCalculator", p -> p.set("print", printer)).getClient("result");
            calculator.call("solveEquation", p -> p.set("eqn", "1+1"));
            assertEquals(List.of("Wow 1+1, that's a tough one.\n"), lines);
            // The calculator came back over the init connection: its calls are recorded too.
            assertEquals(1, latency.calls("InitInterface.makeCalculator"), latency.report());
            assertEquals(1, latency.calls("CalculatorInterface.solveEquation"), latency.report());
            calculator.close();  // destroy: the child drops its printer client, which destroys ours
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (printerDestroyed.get() != 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, printerDestroyed.get(), "the child destroys the printer once its calculator is destroyed");
            init.close();
            assertEquals(0, child.waitFor(30, TimeUnit.SECONDS), "the child exits cleanly once we leave");
        }
    }
}
