package dev.mpjava.bench.jmh;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Schema;
import dev.mpjava.Sockets;
import dev.mpjava.StructBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java server and a Java client in one JVM, each on its own event loop, over Unix
 * socketpairs: CalcInit (calculator.capnp) and TypesTest (types.capnp) from the repository's
 * test schemas ({@code -Dmpjava.benchSchemas}, default native/test/schemas).
 */
final class Loopback implements AutoCloseable {
    private static final LogOptions QUIET = LogOptions.defaults().minLevel(LogLevel.WARNING);

    final Schema schema;
    final EventLoop server;
    final EventLoop clients;
    /** CalcInit: add(a, b) returns a + b, echo(text) returns text. */
    final Client calc;
    /** TypesTest: roundTrip(value) returns its value. */
    final Client types;

    Loopback() {
        Path dir = Path.of(System.getProperty("mpjava.benchSchemas", "native/test/schemas"));
        schema = Schema.load(List.of(dir.resolve("calculator.capnp"), dir.resolve("types.capnp")), List.of());
        server = EventLoop.start("jmh-server", QUIET);
        clients = EventLoop.start("jmh-client", QUIET);
        int[] calcFds = Sockets.pair();
        server.serve(calcFds[0], Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")))
                .on("echo", (p, r) -> r.set("result", p.getString("text"))));
        calc = clients.connect(calcFds[1], schema.interfaceType("CalcInit"));
        int[] typesFds = Sockets.pair();
        server.serve(typesFds[0], Implementation.of(schema.interfaceType("TypesTest"))
                .on("roundTrip", (p, r) -> r.set("result", Values.rebuild(p.getStruct("value")))));
        types = clients.connect(typesFds[1], schema.interfaceType("TypesTest"));
    }

    @Override
    public void close() {
        clients.close();
        server.close();
        schema.close();
    }

    /** Values of types.capnp's AllTypes. */
    static final class Values {
        private Values() {}

        /** An AllTypes with every kind of field set: scalars, text, data, enum, struct, group, unions, lists. */
        static StructBuilder allTypes(int seed) {
            List<StructBuilder> inners = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int id = seed + i;
                inners.add(new StructBuilder().set("id", id).set("name", "inner " + i));
            }
            return new StructBuilder()
                    .set("flag", true)
                    .set("i8", (byte) -8).set("i16", (short) -16).set("i32", seed).set("i64", -64L * seed)
                    .set("u8", 8).set("u16", 16).set("u32", 32L).setUnsigned("u64", -1L)
                    .set("f32", 3.25f).set("f64", Math.PI)
                    .set("text", "a short text of about forty characters..")
                    .set("data", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
                    .set("color", "green")
                    .setStruct("inner", s -> s.set("id", 7).set("name", "inner"))
                    .setStruct("point", s -> s.set("x", -7).set("y", 9))
                    .set("number", 42L)
                    .setStruct("choice", s -> s.set("b", 2.5))
                    .set("i32List", new int[] {1, 2, 3, 4, 5, 6, 7, 8})
                    .set("f64List", new double[] {0.5, 1.5, 2.5, 3.5})
                    .set("textList", List.of("one", "two", "three"))
                    .set("colorList", List.of("red", "green", "blue"))
                    .set("innerList", inners)
                    .set("nestedList", List.of(List.of(1, 2), List.of(3), List.of()));
        }

        /** A StructBuilder holding exactly the fields of a received struct (what an echoing server does). */
        static StructBuilder rebuild(dev.mpjava.StructValue value) {
            StructBuilder builder = new StructBuilder();
            if (value == null) return builder;
            value.toMap().forEach((name, field) -> builder.set(name, buildable(field)));
            return builder;
        }

        private static Object buildable(Object value) {
            if (value instanceof dev.mpjava.StructValue) return rebuild((dev.mpjava.StructValue) value);
            if (value instanceof List<?>) {
                List<Object> copy = new ArrayList<>();
                for (Object element : (List<?>) value) copy.add(buildable(element));
                return copy;
            }
            return value;
        }
    }
}
