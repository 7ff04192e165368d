package dev.mpjava.examples;

import dev.mpjava.examples.schema.CalculatorInterface;
import dev.mpjava.examples.schema.InitInterface;
import dev.mpjava.examples.schema.PrinterInterface;

/**
 * Serves the example's InitInterface on the fd given as argument, like upstream's
 * {@code mpcalculator <fd>}: makeCalculator returns a calculator that reports through
 * the printer it is given. Exits when the parent disconnects.
 */
public final class Calculator {
    private Calculator() {}

    /** Reports every equation to its printer; destroying it releases the printer. */
    record Solver(PrinterInterface printer) implements CalculatorInterface, AutoCloseable {
        @Override
        public void solveEquation(String eqn) throws Exception {
            printer.print("Wow " + eqn + ", that's a tough one.\n");
        }

        @Override
        public void close() throws Exception {
            if (printer instanceof AutoCloseable client) client.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Spawned.serve("mpjava-calculator", args, new InitInterface() {
            @Override
            public CalculatorInterface makeCalculator(PrinterInterface print) {
                return new Solver(print);
            }
        });
    }
}
