package dev.mpjava.bench;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Sockets;
import dev.mpjava.bench.Benchmark.Result;
import gen.nativetest.CalcInit;
import gen.nativetest.CapnpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generated typed API costs over the dynamic API it calls through: {@code CalcInit.add}
 * as a typed call (generated client and server) and as the same dynamic call (strings and
 * {@code StructValue}s), each over its own socketpair, measured in alternating blocks in
 * the same run; the ratio of the medians has a target of at most 1.05. Run it pinned to
 * one CPU ({@code ci/bench-typed.sh}).
 *
 * <p>Usage: {@code TypedBenchmark [calls]}.
 */
public final class TypedBenchmark {
    private TypedBenchmark() {}

    /** A typed server: what a user of the generated API writes (the methods it does not serve keep their defaults). */
    private static final class Adder implements CalcInit {
        @Override
        public int add(int a, int b) {
            return a + b;
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int rounds = Integer.getInteger("mpjava.bench.rounds", 5);
        LogOptions quiet = LogOptions.defaults().minLevel(LogLevel.WARNING);
        try (EventLoop server = EventLoop.start("bench-server", quiet);
                EventLoop clients = EventLoop.start("bench-client", quiet)) {
            int[] typedFds = Sockets.pair();
            server.serve(typedFds[0], CalcInit.implementation(new Adder()));
            int[] dynamicFds = Sockets.pair();
            server.serve(dynamicFds[0], Implementation.of(CapnpSchema.interfaceType("CalcInit"))
                    .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b"))));
            try (CalcInit.Client typed = CalcInit.connect(clients, typedFds[1]);
                    Client dynamic = clients.connect(dynamicFds[1], CapnpSchema.interfaceType("CalcInit"))) {
                List<Result> typedRounds = new ArrayList<>();
                List<Result> dynamicRounds = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    Result[] r = Benchmark.measureInterleaved(calls, new int[] {1, 1},
                            i -> check(typed.add(i, 1), i),
                            i -> check(dynamic.call("add", p -> p.set("a", i).set("b", 1)).getInt("result"), i));
                    typedRounds.add(r[0]);
                    dynamicRounds.add(r[1]);
                }
                System.out.println("CalcInit.add, typed vs dynamic, " + calls + " calls each per round, " + rounds
                        + " rounds, CPUs allowed: " + Benchmark.allowedCpus());
                System.out.printf("%-30s %12s %12s %12s   %s%n", "", "median (us)", "p99 (us)", "calls/s",
                        "medians per round");
                Result t = Benchmark.summary("typed (generated)", typedRounds);
                Result d = Benchmark.summary("dynamic", dynamicRounds);
                System.out.printf("typed/dynamic median ratio: %.3f (target <= 1.05)%n", t.median / d.median);
            }
        }
    }

    private static void check(int result, int a) {
        if (result != a + 1) throw new IllegalStateException("wrong result " + result);
    }
}
