package dev.mpjava.examples;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import dev.mpjava.internal.SchemaResources;
import java.nio.file.Path;
import java.util.List;

/** The example's schemas, shipped in the jar and wire-identical to upstream's example. */
final class ExampleSchema implements AutoCloseable {
    final Schema schema;
    final InterfaceType init;
    final InterfaceType calculator;
    final InterfaceType printer;

    ExampleSchema() {
        Path dir = SchemaResources.extract("/dev/mpjava/examples/schemas/", "init.capnp", "calculator.capnp", "printer.capnp");
        schema = Schema.load(List.of(dir.resolve("init.capnp"), dir.resolve("calculator.capnp"), dir.resolve("printer.capnp")),
                List.of());
        init = schema.interfaceType("InitInterface");
        calculator = schema.interfaceType("CalculatorInterface");
        printer = schema.interfaceType("PrinterInterface");
    }

    @Override
    public void close() {
        schema.close();
    }
}
