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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pure-Java ends of a call, without the call: building params with {@link StructBuilder}
 * (what every caller's lambda does) and reading a received {@link StructValue} (what every
 * handler and caller does with what it gets). The StructValue read here came from one real
 * round trip made at setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ValuesBench {
    private StructValue received;
    private int i;

    @Setup
    public void setUp() {
        try (Loopback loopback = new Loopback()) {
            StructBuilder value = Loopback.Values.allTypes(1);
            received = loopback.types.call("roundTrip", p -> p.set("value", value)).getStruct("result");
        }
    }

    @Benchmark
    public StructBuilder buildAddParams() {
        return new StructBuilder().set("a", i++).set("b", 1);
    }

    @Benchmark
    public StructBuilder buildAllTypes() {
        return Loopback.Values.allTypes(i++);
    }

    @Benchmark
    public void readAllTypes(Blackhole bh) {
        StructValue v = received;
        bh.consume(v.getBoolean("flag"));
        bh.consume(v.getLong("i8"));
        bh.consume(v.getInt("i32"));
        bh.consume(v.getLong("i64"));
        bh.consume(v.getUnsignedLong("u64"));
        bh.consume(v.getDouble("f64"));
        bh.consume(v.getString("text"));
        bh.consume(v.getBytes("data"));
        bh.consume(v.getString("color"));
        bh.consume(v.getStruct("inner").getString("name"));
        bh.consume(v.getStruct("point").getInt("x"));
        bh.consume(v.which());
        bh.consume(v.getList("i32List"));
        for (Object inner : v.getList("innerList")) bh.consume(((StructValue) inner).getLong("id"));
    }

    @Benchmark
    public StructBuilder rebuildReceived() {
        return Loopback.Values.rebuild(received);
    }
}
