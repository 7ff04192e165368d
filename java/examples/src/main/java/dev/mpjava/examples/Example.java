package dev.mpjava.examples;

import dev.mpjava.ConnectOptions;
import dev.mpjava.EventLoop;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.SpawnedProcess;
import dev.mpjava.examples.schema.CalculatorInterface;
import dev.mpjava.examples.schema.InitInterface;
import dev.mpjava.examples.schema.PrinterInterface;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's mpexample in Java: spawns a printer process and a calculator process,
 * hands the printer made by one to a calculator made by the other, then solves the
 * equations read from standard input until "exit".
 *
 * <p>Usage: {@code Example [--latency] [--printer CMD...] [--calculator CMD...]}. By default the
 * children are this project's Java {@link Printer} and {@link Calculator}; a command
 * such as {@code --calculator /path/to/mpcalculator} runs upstream's binary instead
 * (its fd is appended, or substituted for an argument {@code {fd}}). With
 * {@code --latency} it prints each method's call latency at the end ({@link MethodLatency}).
 */
public final class Example {
    private Example() {}

    public static void main(String[] args) throws Exception {
        List<String> printerCommand = SpawnedProcess.javaCommand(Printer.class);
        List<String> calculatorCommand = SpawnedProcess.javaCommand(Calculator.class);
        MethodLatency latency = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--latency")) {
                latency = new MethodLatency();
                continue;
            }
            List<String> command = new ArrayList<>();
            int j = i + 1;
            while (j < args.length && !args[j].startsWith("--")) command.add(args[j++]);
            if (args[i].equals("--printer")) printerCommand = command;
            else if (args[i].equals("--calculator")) calculatorCommand = command;
            else throw new IllegalArgumentException("unknown option " + args[i] + " in " + Arrays.toString(args));
            i = j - 1;
        }
        LogOptions logs = LogOptions.defaults().minLevel(LogLevel.WARNING);
        try (EventLoop loop = EventLoop.start("mpjava-example", logs);
                SpawnedProcess printerProcess = SpawnedProcess.spawn(printerCommand);
                SpawnedProcess calculatorProcess = SpawnedProcess.spawn(calculatorCommand)) {
            ConnectOptions options = latency != null ? latency.options() : ConnectOptions.defaults();
            InitInterface.Client printerInit = InitInterface.connect(loop, printerProcess.takeSocket(), options);
            InitInterface.Client calculatorInit = InitInterface.connect(loop, calculatorProcess.takeSocket(), options);
            PrinterInterface.Client printer = printerInit.makePrinter();
            CalculatorInterface.Client calculator = calculatorInit.makeCalculator(printer);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                System.out.print("Enter the equation, or \"exit\" to quit: ");
                System.out.flush();
                String eqn = in.readLine();
                if (eqn == null || eqn.equals("exit")) break;
                calculator.solveEquation(eqn);
            }
            calculator.close();
            printer.close();
            calculatorInit.close();
            printerInit.close();
            System.out.println();
            System.out.println("calculator exited with " + calculatorProcess.waitFor(10, TimeUnit.SECONDS)
                    + ", printer exited with " + printerProcess.waitFor(10, TimeUnit.SECONDS));
            if (latency != null) System.out.print(latency.report());
        }
        System.out.println("Bye!");
    }
}
