package dev.mpjava.examples;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;

/** The example's schemas, shipped in the jar and wire-identical to upstream's example. */
final class ExampleSchema implements AutoCloseable {
    final Schema schema = Schema.loadResources(ExampleSchema.class.getClassLoader(),
            "dev/mpjava/examples/schemas/init.capnp", "dev/mpjava/examples/schemas/calculator.capnp",
            "dev/mpjava/examples/schemas/printer.capnp");
    final InterfaceType init = schema.interfaceType("InitInterface");
    final InterfaceType calculator = schema.interfaceType("CalculatorInterface");
    final InterfaceType printer = schema.interfaceType("PrinterInterface");

    @Override
    public void close() {
        schema.close();
    }
}
