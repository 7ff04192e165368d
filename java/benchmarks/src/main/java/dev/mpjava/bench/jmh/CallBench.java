package dev.mpjava.bench.jmh;

import dev.mpjava.StructBuilder;
import dev.mpjava.StructValue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole calls through the public API, Java client to Java server in this JVM ({@link Loopback}):
 * params built and encoded, the native core and the socket both ways, params decoded and
 * results built on the server, results decoded on the client. {@code roundTripAllTypes} minus
 * {@code roundTripEmpty} (the same method with an empty struct) is what a rich value costs,
 * both ways; {@code add} is the smallest call there is. Not pinned: for stable latency
 * figures use ci/bench.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CallBench {
    private Loopback loopback;
    private StructBuilder allTypes;
    private String text1k;
    private int i;

    @Setup
    public void setUp() {
        loopback = new Loopback();
        allTypes = Loopback.Values.allTypes(1);
        text1k = "x".repeat(1024);
    }

    @TearDown
    public void tearDown() {
        loopback.close();
    }

    @Benchmark
    public int add() {
        int a = i++;
        return loopback.calc.call("add", p -> p.set("a", a).set("b", 1)).getInt("result");
    }

    @Benchmark
    public String echoText1k() {
        return loopback.calc.call("echo", p -> p.set("text", text1k)).getString("result");
    }

    @Benchmark
    public StructValue roundTripEmpty() {
        return loopback.types.call("roundTrip", p -> p.setStruct("value", v -> {})).getStruct("result");
    }

    @Benchmark
    public StructValue roundTripAllTypes() {
        return loopback.types.call("roundTrip", p -> p.set("value", allTypes)).getStruct("result");
    }
}
