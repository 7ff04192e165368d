package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.internal.SchemaResources;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A real child process started with a socketpair fd on its command line, like mpcalculator. */
class SpawnedProcessTest {
    @Test
    void spawnedJavaCalculatorPrintsThroughPrinterInParentAndExitsWhenParentLeaves() throws Exception {
        Path dir = SchemaResources.extract("/dev/mpjava/examples/schemas/", "init.capnp", "calculator.capnp", "printer.capnp");
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger printerDestroyed = new AtomicInteger();
        try (Schema schema = Schema.load(List.of(dir.resolve("init.capnp"), dir.resolve("calculator.capnp"),
                        dir.resolve("printer.capnp")), List.of());
                EventLoop loop = EventLoop.start("parent");
                SpawnedProcess child = SpawnedProcess.spawn(
                        SpawnedProcess.javaCommand(dev.mpjava.examples.Calculator.class, SpawnedProcess.FD))) {
            Client init = loop.connect(child.takeSocket(), schema.interfaceType("InitInterface"));
            Implementation printer = Implementation.of(schema.interfaceType("PrinterInterface"))
                    .on("print", (p, r) -> lines.add(p.getString("text")))
                    .onClose(printerDestroyed::incrementAndGet);
            Client calculator = init.call("makeCalculator", p -> p.set("print", printer)).getClient("result");
            calculator.call("solveEquation", p -> p.set("eqn", "1+1"));
            assertEquals(List.of("Wow 1+1, that's a tough one.\n"), lines);
            calculator.close();  // destroy: the child drops its printer client, which destroys ours
            TestSupport.waitFor("the child to destroy the printer", () -> printerDestroyed.get() == 1);
            init.close();
            assertEquals(0, child.waitFor(30, TimeUnit.SECONDS), "the child exits cleanly once we leave");
        }
    }

    @Test
    void spawningAMissingProgramFailsClearly() {
        IpcException e = assertThrows(IpcException.class,
                () -> SpawnedProcess.spawn(List.of("/nonexistent/mpcalculator", SpawnedProcess.FD)));
        assertTrue(e.getMessage().contains("cannot spawn '/nonexistent/mpcalculator'"), e.getMessage());
    }
}
