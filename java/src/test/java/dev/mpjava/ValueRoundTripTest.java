package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every Cap'n Proto value type, Java -> native -> wire -> native -> Java -> back (types.capnp). */
class ValueRoundTripTest {
    private static final BigInteger TWO_64_MINUS_1 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static Schema schema;
    private static EventLoop server;
    private static EventLoop clients;
    private static Client client;

    @BeforeAll
    static void start() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("types.capnp"));
        server = EventLoop.start("values-server");
        clients = EventLoop.start("values-client");
        Path socket = TestSupport.tempSocket("types.sock");
        // The server echoes the value back by rebuilding it from what it received.
        server.listen(socket, Implementation.of(schema.interfaceType("TypesTest"))
                .on("roundTrip", (p, r) -> r.set("result", rebuild(p.getStruct("value")))));
        client = clients.connect(socket, schema.interfaceType("TypesTest"));
    }

    @AfterAll
    static void stop() {
        clients.close();
        server.close();
        schema.close();
    }

    /** A StructBuilder carrying the same values as a received struct. */
    static StructBuilder rebuild(StructValue value) {
        StructBuilder out = new StructBuilder();
        for (Map.Entry<String, Object> field : value.toMap().entrySet()) out.set(field.getKey(), copy(field.getValue()));
        return out;
    }

    private static Object copy(Object value) {
        if (value instanceof StructValue) return rebuild((StructValue) value);
        if (value instanceof List<?>) return ((List<?>) value).stream().map(ValueRoundTripTest::copy).toList();
        return value;
    }

    private static StructValue roundTrip(Consumer<StructBuilder> value) {
        return client.call("roundTrip", p -> p.setStruct("value", value)).getStruct("result");
    }

    @Test
    void scalarsAtTheirLimitsSurviveTheRoundTrip() {
        StructValue v = roundTrip(s -> s.set("flag", true)
                .set("i8", (long) Byte.MIN_VALUE).set("i16", (long) Short.MIN_VALUE)
                .set("i32", (long) Integer.MIN_VALUE).set("i64", Long.MIN_VALUE)
                .set("u8", 255).set("u16", 65535).set("u32", 4294967295L).set("u64", TWO_64_MINUS_1)
                .set("f32", 1.5f).set("f64", -2.25));
        assertTrue(v.getBoolean("flag"));
        assertEquals(Byte.MIN_VALUE, v.getLong("i8"));
        assertEquals(Short.MIN_VALUE, v.getLong("i16"));
        assertEquals(Integer.MIN_VALUE, v.getInt("i32"));
        assertEquals(Long.MIN_VALUE, v.getLong("i64"));
        assertEquals(255, v.getInt("u8"));
        assertEquals(65535, v.getInt("u16"));
        assertEquals(4294967295L, v.getLong("u32"));
        assertEquals(TWO_64_MINUS_1, v.getBigInteger("u64"));
        assertEquals(-1L, v.getUnsignedLong("u64"));
        assertThrows(ArithmeticException.class, () -> v.getLong("u64"), "an unsigned value never wraps into a long");
        assertEquals(1.5, v.getDouble("f32"));
        assertEquals(-2.25, v.getDouble("f64"));
    }

    @Test
    void textDataEnumStructGroupAndUnionsSurviveTheRoundTrip() {
        byte[] data = {0, 1, 2, (byte) 0xff, 0};
        StructValue v = roundTrip(s -> s.set("text", "héllo wörld ✓").set("data", data).set("color", "green")
                .setStruct("inner", i -> i.set("id", 7).set("name", "seven"))
                .setStruct("point", g -> g.set("x", 3).set("y", -4))
                .set("word", "union member")
                .setStruct("choice", c -> c.set("b", 0.5)));
        assertEquals("héllo wörld ✓", v.getString("text"));
        assertArrayEquals(data, v.getBytes("data"));
        assertEquals("green", v.getString("color"));
        assertEquals(7, v.getStruct("inner").getInt("id"));
        assertEquals("seven", v.getStruct("inner").getString("name"));
        assertEquals(-4, v.getStruct("point").getInt("y"));
        assertEquals("word", v.which());
        assertEquals("union member", v.getString("word"));
        assertEquals("b", v.getStruct("choice").which());
        assertEquals(0.5, v.getStruct("choice").getDouble("b"));
        assertFalse(v.toMap().containsKey("number"), "only the active union member is present");
    }

    @Test
    void everyUnionMemberCanBeSelected() {
        assertEquals("none", roundTrip(s -> s.setVoid("none")).which());
        StructValue number = roundTrip(s -> s.set("number", 42));
        assertEquals("number", number.which());
        assertEquals(42, number.getLong("number"));
        assertEquals("a", roundTrip(s -> s.setStruct("choice", c -> c.set("a", true))).getStruct("choice").which());
    }

    @Test
    void listsOfEveryElementTypeSurviveTheRoundTrip() {
        StructValue v = roundTrip(s -> s.set("boolList", List.of(true, false))
                .set("i8List", new byte[] {-1, 2}).set("i16List", new short[] {-300, 300})
                .set("i32List", new int[] {1, 2, 3}).set("i64List", new long[] {Long.MAX_VALUE})
                .set("u8List", List.of(0, 255)).set("u16List", List.of(65535)).set("u32List", List.of(4294967295L))
                .set("u64List", List.of(TWO_64_MINUS_1, 1))
                .set("f32List", new float[] {0.25f}).set("f64List", new double[] {1e300})
                .set("textList", List.of("a", "", "ü"))
                .set("dataList", List.of(new byte[] {1}, new byte[0]))
                .set("colorList", List.of("red", "blue"))
                .set("innerList", List.of(new StructBuilder().set("id", 1), new StructBuilder().set("name", "two")))
                .set("nestedList", List.of(List.of(1, 2), List.of(), List.of(3))));
        assertEquals(List.of(true, false), v.getList("boolList"));
        assertEquals(List.of(-1L, 2L), v.getList("i8List"));
        assertEquals(List.of(-300L, 300L), v.getList("i16List"));
        assertEquals(List.of(1L, 2L, 3L), v.getList("i32List"));
        assertEquals(List.of(Long.MAX_VALUE), v.getList("i64List"));
        assertEquals(List.of(0L, 255L), v.getList("u8List"));
        assertEquals(List.of(TWO_64_MINUS_1, 1L), v.getList("u64List"));
        assertEquals(List.of(0.25), v.getList("f32List"));
        assertEquals(List.of(1e300), v.getList("f64List"));
        assertEquals(List.of("a", "", "ü"), v.getList("textList"));
        assertArrayEquals(new byte[] {1}, (byte[]) v.getList("dataList").get(0));
        assertEquals(List.of("red", "blue"), v.getList("colorList"));
        assertEquals(1, ((StructValue) v.getList("innerList").get(0)).getInt("id"));
        assertEquals("two", ((StructValue) v.getList("innerList").get(1)).getString("name"));
        assertEquals(List.of(List.of(1L, 2L), List.of(), List.of(3L)), v.getList("nestedList"));
    }

    @Test
    void unsetFieldsReadAsDefaultsOrNull() {
        StructValue v = roundTrip(s -> {});
        assertEquals(42, v.getInt("defInt"));
        assertEquals("hello", v.getString("defText"));
        assertEquals("blue", v.getString("defColor"));
        assertEquals(1.5, v.getDouble("defFloat"));
        assertTrue(v.getBoolean("defBool"));
        assertEquals(TWO_64_MINUS_1, v.get("defU64"));
        assertThrows(ArithmeticException.class, () -> v.getLong("defU64"));
        assertNull(v.getString("text"), "an absent Text is null, not empty");
        assertFalse(v.has("inner"));
        assertEquals(0, v.getInt("i32"));
    }

    @Test
    void outOfRangeAndWrongTypesFailNamingTheFieldAndNeverWrap() {
        assertRejected(s -> s.set("u8", 256), "value.u8: value 256 out of range for UInt8");
        assertRejected(s -> s.set("u16", -1), "value.u16: value -1 out of range for UInt16");
        assertRejected(s -> s.set("u32", 4294967296L), "value.u32: value 4294967296 out of range for UInt32");
        assertRejected(s -> s.set("i8", 128), "value.i8: value 128 out of range for Int8");
        assertRejected(s -> s.set("i64", TWO_64_MINUS_1), "out of range for Int64");
        assertRejected(s -> s.set("i32", "seven"), "value.i32: expected Int32, got string");
        assertRejected(s -> s.set("color", "purple"), "'purple' is not a value of enum Color");
        assertRejected(s -> s.set("nope", 1), "no field 'nope' in struct AllTypes");
        assertRejected(s -> s.set("i32List", List.of(1, "x")), "i32List[1]: expected Int32, got string");
        // The client still works after each rejection.
        assertEquals(1, roundTrip(s -> s.set("u8", 1)).getInt("u8"));
    }

    private static void assertRejected(Consumer<StructBuilder> value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roundTrip(value));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
