package dev.mpjava.examples;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import java.util.List;

/** The example's schemas, shipped in the jar and wire-identical to upstream's example. */
final class ExampleSchema implements AutoCloseable {
    final Schema schema;
    final InterfaceType init;
    final InterfaceType calculator;
    final InterfaceType printer;

    ExampleSchema() {
        schema = ClasspathSchemas.load("/dev/mpjava/examples/schemas",
                List.of("init.capnp", "calculator.capnp", "printer.capnp"));
        init = schema.interfaceType("InitInterface");
        calculator = schema.interfaceType("CalculatorInterface");
        printer = schema.interfaceType("PrinterInterface");
    }

    @Override
    public void close() {
        schema.close();
    }
}
