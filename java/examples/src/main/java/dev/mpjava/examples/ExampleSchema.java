package dev.mpjava.examples;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;

/** The example's schemas, shipped in the jar and wire-identical to upstream's example. */
final class ExampleSchema implements AutoCloseable {
    final Schema schema = Schema.loadResources(ExampleSchema.class.getClassLoader(),
            "example/init.capnp", "example/calculator.capnp",
            "example/printer.capnp");
    final InterfaceType init = schema.interfaceType("InitInterface");
    final InterfaceType calculator = schema.interfaceType("CalculatorInterface");
    final InterfaceType printer = schema.interfaceType("PrinterInterface");

    @Override
    public void close() {
        schema.close();
    }
}
