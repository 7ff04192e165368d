package dev.mpjava.examples;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The example's schemas, shipped in the jar and wire-identical to upstream's example. */
final class ExampleSchema implements AutoCloseable {
    private static final List<String> FILES = List.of("init.capnp", "calculator.capnp", "printer.capnp");

    final Schema schema;
    final InterfaceType init;
    final InterfaceType calculator;
    final InterfaceType printer;

    ExampleSchema() {
        Path dir = extractSchemas();
        schema = Schema.load(FILES.stream().map(dir::resolve).toList(), List.of());
        init = schema.interfaceType("InitInterface");
        calculator = schema.interfaceType("CalculatorInterface");
        printer = schema.interfaceType("PrinterInterface");
    }

    /**
     * Schema.load reads files, so the schemas (resources next to this class, under
     * schemas/) are copied to a new temporary directory, deleted when the JVM exits.
     */
    private static Path extractSchemas() {
        try {
            Path dir = Files.createTempDirectory("mpjava-example-schemas");
            dir.toFile().deleteOnExit();  // registered first, so deleted last (once empty)
            for (String file : FILES) {
                Path target = dir.resolve(file);
                try (InputStream in = ExampleSchema.class.getResourceAsStream("schemas/" + file)) {
                    if (in == null) throw new IllegalStateException("example schema missing from the class path: " + file);
                    Files.copy(in, target);
                }
                target.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the example's schemas to a temporary directory", e);
        }
    }

    @Override
    public void close() {
        schema.close();
    }
}
