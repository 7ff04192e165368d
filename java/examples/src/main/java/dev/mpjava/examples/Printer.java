package dev.mpjava.examples;

import dev.mpjava.Implementation;

/**
 * Serves the example's InitInterface on the fd given as argument, like upstream's
 * {@code mpprinter <fd>}: makePrinter returns a printer that writes to standard output.
 */
public final class Printer {
    private Printer() {}

    public static void main(String[] args) throws Exception {
        Spawned.serve("mpjava-printer", args, schema -> Implementation.of(schema.init)
                .on("makePrinter", (p, r) -> r.set("result", Implementation.of(schema.printer)
                        .on("print", (q, s) -> {
                            System.out.print(q.getString("text"));
                            System.out.flush();
                        }))));
    }
}
