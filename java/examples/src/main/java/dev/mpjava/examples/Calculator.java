package dev.mpjava.examples;

import dev.mpjava.Client;
import dev.mpjava.Implementation;

/**
 * Serves the example's InitInterface on the fd given as argument, like upstream's
 * {@code mpcalculator <fd>}: makeCalculator returns a calculator that reports through
 * the printer it is given. Exits when the parent disconnects.
 */
public final class Calculator {
    private Calculator() {}

    public static void main(String[] args) throws Exception {
        Spawned.serve("mpjava-calculator", args, schema -> Implementation.of(schema.init)
                .on("makeCalculator", (p, r) -> {
                    Client printer = p.getClient("print");
                    r.set("result", Implementation.of(schema.calculator)
                            .on("solveEquation", (q, s) -> printer.call("print",
                                    t -> t.set("text", "Wow " + q.getString("eqn") + ", that's a tough one.\n")))
                            .onClose(printer::close));
                }));
    }
}
