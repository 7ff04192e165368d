package dev.mpjava.examples;

import dev.mpjava.examples.schema.InitInterface;
import dev.mpjava.examples.schema.PrinterInterface;

/**
 * Serves the example's InitInterface on the fd given as argument, like upstream's
 * {@code mpprinter <fd>}: makePrinter returns a printer that writes to standard output.
 */
public final class Printer {
    private Printer() {}

    public static void main(String[] args) throws Exception {
        Spawned.serve("mpjava-printer", args, new InitInterface() {
            @Override
            public PrinterInterface makePrinter() {
                return text -> {
                    System.out.print(text);
                    System.out.flush();
                };
            }
        });
    }
}
