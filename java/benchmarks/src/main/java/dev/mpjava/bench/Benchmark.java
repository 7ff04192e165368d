package dev.mpjava.bench;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.InterfaceType;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Schema;
import dev.mpjava.Sockets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Round-trip latency of a small call ({@code add}): Java client -> Java server, beside
 * the same call through the native core alone (C++ client -> C++ server, no JVM) run in
 * the same invocation. Same topology on both sides: a server loop, a client loop and a
 * calling thread over a Unix socketpair. Run it pinned to one CPU ({@code ci/bench.sh}
 * does taskset -c 0); the native child inherits the pinning.
 *
 * <p>Usage: {@code Benchmark [calls] [path/to/calculator.capnp]}.
 */
public final class Benchmark {
    private static final LogOptions QUIET = LogOptions.defaults().minLevel(LogLevel.WARNING);

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        Path schemaFile = Path.of(args.length > 1 ? args[1] : "native/test/schemas/calculator.capnp");
        String nativeBench = System.getProperty("mpjava.nativeBench", "java/mpjava/target/native/mpjava_bench_native");

        if (Boolean.getBoolean("mpjava.bench.javaOnly")) {  // for profiling the Java side alone
            print("Java -> Java", runJava(schemaFile, calls));
            return;
        }
        Path schemaDir = schemaFile.toAbsolutePath().getParent();
        int rounds = Integer.getInteger("mpjava.bench.rounds", 3);
        if (Boolean.getBoolean("mpjava.bench.protocolOnly")) {  // for working on the protocol figures alone
            runProtocol(schemaDir, calls / 4);
            List<Result[]> protocols = new java.util.ArrayList<>();
            for (int round = 0; round < rounds; round++) protocols.add(runProtocol(schemaDir, calls));
            printProtocol(protocols);
            return;
        }
        // One full Java run first, so the JIT is done before anything is measured.
        runJava(schemaFile, calls);
        runProtocol(schemaDir, calls / 4);
        // The machine's noise is large (a cross-CPU neighbour, VM scheduling): every
        // measurement runs in each of several interleaved rounds, and the medians are compared.
        List<Result> natives = new java.util.ArrayList<>();
        List<Result> javas = new java.util.ArrayList<>();
        List<Result[]> protocols = new java.util.ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            natives.add(runNative(nativeBench, calls));
            javas.add(runJava(schemaFile, calls));
            protocols.add(runProtocol(schemaDir, calls));
        }
        System.out.println("round trip of CalcInit.add, " + calls + " calls per measurement, " + rounds
                + " interleaved rounds, CPUs allowed: " + allowedCpus());
        System.out.printf("%-30s %12s %12s %12s   %s%n", "", "median (us)", "p99 (us)", "calls/s", "medians per round");
        Result nativeResult = summary("native C++ -> C++ (no JVM)", natives);
        Result javaResult = summary("Java -> Java", javas);
        System.out.printf("Java/native median ratio: %.2f (target <= 1.3)%n", javaResult.median / nativeResult.median);
        System.out.println();
        printProtocol(protocols);
    }

    private static void printProtocol(List<Result[]> protocols) {
        System.out.println("libmultiprocess protocol, Java -> Java (ThreadTest / Hub test schemas),");
        System.out.println("plain, Context and callback calls measured in alternating blocks:");
        Result plain = summary("plain call (loop thread)", column(protocols, 0));
        Result context = summary("Context call (worker thread)", column(protocols, 1));
        summary("callback round trip", column(protocols, 2));
        double[] ratios = protocols.stream().mapToDouble(r -> r[1].median / r[0].median).sorted().toArray();
        StringBuilder each = new StringBuilder();
        for (Result[] r : protocols) each.append(String.format("%.2f ", r[1].median / r[0].median));
        System.out.printf("Context/plain median ratio: %.2f (target <= 1.5); per round: %s; ratio of the medians above: %.2f%n",
                ratios[ratios.length / 2], each, context.median / plain.median);
    }

    private static List<Result> column(List<Result[]> rows, int index) {
        List<Result> out = new java.util.ArrayList<>();
        for (Result[] row : rows) out.add(row[index]);
        return out;
    }

    /** Prints the median over rounds of each figure (and each round's median); returns it. */
    static Result summary(String name, List<Result> rounds) {
        double[] medians = rounds.stream().mapToDouble(r -> r.median).sorted().toArray();
        double[] p99s = rounds.stream().mapToDouble(r -> r.p99).sorted().toArray();
        double[] rates = rounds.stream().mapToDouble(r -> r.callsPerSecond).sorted().toArray();
        Result result = new Result(medians[medians.length / 2], p99s[p99s.length / 2], rates[rates.length / 2]);
        StringBuilder each = new StringBuilder();
        for (Result r : rounds) each.append(String.format("%.1f ", r.median));
        System.out.printf("%-30s %12.2f %12.2f %12.0f   %s%n", name, result.median, result.p99, result.callsPerSecond, each);
        return result;
    }

    private static Result runJava(Path schemaFile, int calls) throws Exception {
        try (Schema schema = Schema.load(schemaFile);
                EventLoop server = EventLoop.start("bench-server", QUIET);
                EventLoop clients = EventLoop.start("bench-client", QUIET)) {
            InterfaceType calc = schema.interfaceType("CalcInit");
            int[] fds = Sockets.pair();
            server.serve(fds[0], Implementation.of(calc).on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b"))));
            Client client = clients.connect(fds[1], calc);
            double[] micros = new double[calls];
            int warmup = Math.max(calls, 20000);  // the JIT compiles on the same pinned CPU: let it finish first
            for (int i = 0; i < warmup + calls; i++) {
                int a = i;
                long start = System.nanoTime();
                int result = client.call("add", p -> p.set("a", a).set("b", 1)).getInt("result");
                long elapsed = System.nanoTime() - start;
                if (result != a + 1) throw new IllegalStateException("wrong result " + result);
                if (i >= warmup) micros[i - warmup] = elapsed / 1000.0;
            }
            return Result.of(micros);
        }
    }

    /**
     * A call without Context (runs on the server loop thread), the same call with a
     * Context (runs on the worker thread made for the caller), and a callback round trip
     * (the server calls back a Java callback on the calling thread, which then destroys it).
     */
    private static Result[] runProtocol(Path schemaDir, int calls) throws Exception {
        try (Schema schema = Schema.load(List.of(schemaDir.resolve("threads.capnp"), schemaDir.resolve("callbacks.capnp")),
                        List.of());
                EventLoop server = EventLoop.start("bench-server", QUIET);
                EventLoop clients = EventLoop.start("bench-client", QUIET)) {
            int[] fds = Sockets.pair();
            server.serve(fds[0], Implementation.of(schema.interfaceType("ThreadTest"))
                    .on("threadName", (p, r) -> r.set("result", "w"))
                    .on("loopThreadName", (p, r) -> r.set("result", "l")));
            Client threads = clients.connect(fds[1], schema.interfaceType("ThreadTest"));
            int[] hubFds = Sockets.pair();
            server.serve(hubFds[0], Implementation.of(schema.interfaceType("Hub")).on("callback", (p, r) -> {
                try (Client cb = p.getClient("cb")) {
                    r.set("result", cb.call("call", q -> q.set("arg", p.getInt("arg"))).getInt("result") + 1);
                }
            }));
            Client hub = clients.connect(hubFds[1], schema.interfaceType("Hub"));
            Implementation callback = Implementation.of(schema.interfaceType("Callback"))
                    .on("call", (p, r) -> r.set("result", p.getInt("arg")));
            return measureInterleaved(calls,
                    new int[] {4, 4, 1},
                    i -> threads.call("loopThreadName"),
                    i -> threads.call("threadName"),
                    i -> hub.call("callback", p -> p.set("cb", callback).set("arg", i)));
        }
    }

    /**
     * Measures several calls in alternating blocks (call k makes weights[k] of every
     * block's parts), so each figure spans the same stretch of time and the machine's
     * drifting noise affects all alike; the first blocks are a warm-up.
     */
    static Result[] measureInterleaved(int calls, int[] weights, java.util.function.IntConsumer... ops) {
        final int block = 250;  // calls per weight unit and block
        int maxWeight = Arrays.stream(weights).max().getAsInt();
        int blocks = Math.max(1, calls / (block * maxWeight));
        int warmupBlocks = Math.max(blocks, 5000 / (block * maxWeight));
        double[][] micros = new double[ops.length][];
        int[] filled = new int[ops.length];
        for (int k = 0; k < ops.length; k++) micros[k] = new double[blocks * block * weights[k]];
        for (int b = 0; b < warmupBlocks + blocks; b++) {
            for (int k = 0; k < ops.length; k++) {
                for (int i = 0; i < block * weights[k]; i++) {
                    long start = System.nanoTime();
                    ops[k].accept(i);
                    long elapsed = System.nanoTime() - start;
                    if (b >= warmupBlocks) micros[k][filled[k]++] = elapsed / 1000.0;
                }
            }
        }
        Result[] results = new Result[ops.length];
        for (int k = 0; k < ops.length; k++) results[k] = Result.of(micros[k]);
        return results;
    }

    private static Result runNative(String binary, int calls) throws Exception {
        Process process = new ProcessBuilder(binary, Integer.toString(calls)).redirectErrorStream(true).start();
        String line;
        StringBuilder output = new StringBuilder();
        String found = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("native ")) found = line;
            }
        }
        if (process.waitFor() != 0 || found == null) throw new IllegalStateException("native benchmark failed:\n" + output);
        String[] parts = found.split(" ");
        return new Result(Double.parseDouble(parts[2]), Double.parseDouble(parts[3]), Double.parseDouble(parts[4]));
    }

    /** The CPUs this process may run on (taskset -c 0 shows "0"). */
    static String allowedCpus() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (java.io.IOException e) {
            // not Linux: fall through
        }
        return "unknown";
    }

    private static void print(String name, Result r) {
        System.out.printf("%-28s %12.2f %12.2f %12.0f%n", name, r.median, r.p99, r.callsPerSecond);
    }

    static final class Result {
        final double median;
        final double p99;
        final double callsPerSecond;

        Result(double median, double p99, double callsPerSecond) {
            this.median = median;
            this.p99 = p99;
            this.callsPerSecond = callsPerSecond;
        }

        static Result of(double[] micros) {
            double total = 0;
            for (double m : micros) total += m;
            double[] sorted = micros.clone();
            Arrays.sort(sorted);
            return new Result(sorted[sorted.length / 2], sorted[sorted.length * 99 / 100], sorted.length / (total / 1e6));
        }
    }
}
