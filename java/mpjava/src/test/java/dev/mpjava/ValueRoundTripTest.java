package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every value type of types.capnp's AllTypes sent by a Java client to a Java server that
 * echoes the StructValue it received back (TypesTest.roundTrip), through the native value
 * tree and the wire.
 */
class ValueRoundTripTest {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Client client;
    /** What the server handler received last, to check the params direction on its own. */
    private volatile StructValue lastReceived;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("types.capnp"));
        server = EventLoop.start("types-server");
        clients = EventLoop.start("types-clients");
        Path socket = TestSupport.tempSocket("types.sock");
        server.listen(socket, Implementation.of(schema.interfaceType("TypesTest")).on("roundTrip", (p, r) -> {
            StructValue value = p.getStruct("value");
            lastReceived = value;
            r.set("result", value);  // a received struct is sent back as it is
        }));
        client = clients.connect(socket, schema.interfaceType("TypesTest"));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    private StructValue roundTrip(Consumer<StructBuilder> value) {
        StructValue results = client.call("roundTrip", p -> p.setStruct("value", value));
        StructValue result = results.getStruct("result");
        assertTrue(result != null, "the server sent a result struct back");
        return result;
    }

    @Test
    void boolAndSignedIntegersAtTheirLimitsRoundTrip() {
        StructValue min = roundTrip(v -> v.set("flag", true)
                .set("i8", Byte.MIN_VALUE).set("i16", Short.MIN_VALUE)
                .set("i32", Integer.MIN_VALUE).set("i64", Long.MIN_VALUE));
        assertTrue(min.getBoolean("flag"));
        assertEquals(Byte.MIN_VALUE, min.getLong("i8"));
        assertEquals(Short.MIN_VALUE, min.getLong("i16"));
        assertEquals(Integer.MIN_VALUE, min.getInt("i32"));
        assertEquals(Long.MIN_VALUE, min.getLong("i64"));

        StructValue max = roundTrip(v -> v.set("flag", false)
                .set("i8", Byte.MAX_VALUE).set("i16", Short.MAX_VALUE)
                .set("i32", Integer.MAX_VALUE).set("i64", Long.MAX_VALUE));
        assertFalse(max.getBoolean("flag"));
        assertEquals(Byte.MAX_VALUE, max.getLong("i8"));
        assertEquals(Short.MAX_VALUE, max.getLong("i16"));
        assertEquals(Integer.MAX_VALUE, max.getInt("i32"));
        assertEquals(Long.MAX_VALUE, max.getLong("i64"));
        assertEquals(Long.class, max.get("i64").getClass(), "signed integers read as Long");
    }

    @Test
    void unsignedIntegersAtTheirMaximumRoundTripIncludingUInt64Max() {
        StructValue v = roundTrip(b -> b.set("u8", 255).set("u16", 65535).set("u32", 4294967295L)
                .setUnsigned("u64", -1L));
        assertEquals(255, v.getLong("u8"));
        assertEquals(65535, v.getLong("u16"));
        assertEquals(4294967295L, v.getLong("u32"));
        assertEquals(UINT64_MAX, v.getBigInteger("u64"));
        assertEquals(-1L, v.getUnsignedLong("u64"), "the bits of 2^64-1");
        assertThrows(ArithmeticException.class, () -> v.getLong("u64"), "2^64-1 must not wrap to -1");

        StructValue big = roundTrip(b -> b.set("u64", UINT64_MAX));
        assertEquals(UINT64_MAX, big.getBigInteger("u64"));
        assertEquals(UINT64_MAX, lastReceived.getBigInteger("u64"), "the server saw 2^64-1 too");

        StructValue fits = roundTrip(b -> b.set("u64", Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, fits.getLong("u64"), "a UInt64 that fits reads as a plain long");
    }

    @Test
    void floatsRoundTripExactly() {
        float f32 = 3.4028235e38f;
        StructValue v = roundTrip(b -> b.set("f32", f32).set("f64", -1.0e-308));
        assertEquals((double) f32, v.getDouble("f32"));
        assertEquals(-1.0e-308, v.getDouble("f64"));

        StructValue small = roundTrip(b -> b.set("f32", 0.1f).set("f64", Math.PI));
        assertEquals((double) 0.1f, small.getDouble("f32"), "Float32 keeps float precision, exactly");
        assertEquals(Math.PI, small.getDouble("f64"));

        StructValue special = roundTrip(b -> b.set("f32", Float.NEGATIVE_INFINITY).set("f64", Double.NaN));
        assertEquals(Double.NEGATIVE_INFINITY, special.getDouble("f32"));
        assertTrue(Double.isNaN(special.getDouble("f64")));
    }

    @Test
    void textWithNonAsciiUtf8AndDataWithZeroBytesRoundTrip() {
        String text = "héllo wörld, Καλημέρα, 日本語, emoji \uD83D\uDE80, tab\tand\nnewline";
        byte[] data = {0, 1, 0, (byte) 0xff, 0, (byte) 0x80, 0};
        StructValue v = roundTrip(b -> b.set("text", text).set("data", data));
        assertEquals(text, v.getString("text"));
        assertArrayEquals(data, v.getBytes("data"));
        assertEquals(text, lastReceived.getString("text"), "the server decoded the same text");

        StructValue empty = roundTrip(b -> b.set("text", "").set("data", new byte[0]));
        assertEquals("", empty.getString("text"), "empty text is not absent");
        assertArrayEquals(new byte[0], empty.getBytes("data"));

        String nul = "a\u0000b";
        assertEquals(nul, roundTrip(b -> b.set("text", nul)).getString("text"), "embedded NUL survives");
    }

    @Test
    void eightMebibytesOfDataRoundTripThroughFullSocketBuffers() {
        // Far larger than a Unix socket's buffer: both directions block and resume mid-message.
        byte[] data = new byte[8 << 20];
        new java.util.Random(42).nextBytes(data);
        StructValue v = roundTrip(b -> b.set("data", data));
        assertArrayEquals(data, v.getBytes("data"));
    }

    @Test
    void enumRoundTripsByName() {
        assertEquals("green", roundTrip(b -> b.set("color", "green")).getString("color"));
        assertEquals("red", roundTrip(b -> b.set("color", "red")).getString("color"));
        assertEquals("blue", roundTrip(b -> b.set("color", 2)).getString("color"), "an ordinal also selects");
    }

    @Test
    void nestedStructAndGroupRoundTrip() {
        StructValue v = roundTrip(b -> b
                .setStruct("inner", i -> i.set("id", 4000000000L).set("name", "inner name"))
                .setStruct("point", p -> p.set("x", -7).set("y", 9)));
        StructValue inner = v.getStruct("inner");
        assertEquals(4000000000L, inner.getLong("id"));
        assertEquals("inner name", inner.getString("name"));
        StructValue point = v.getStruct("point");
        assertEquals(-7, point.getInt("x"));
        assertEquals(9, point.getInt("y"));
        assertNull(point.which(), "a group without union has no active member");
    }

    @Test
    void unnamedUnionRoundTripsEachMember() {
        StructValue none = roundTrip(b -> b.setVoid("none"));
        assertEquals("none", none.which());
        assertSame(StructBuilder.VOID, none.get("none"));
        assertFalse(none.toMap().containsKey("number"), "inactive members are not present");
        assertFalse(none.toMap().containsKey("word"));

        StructValue number = roundTrip(b -> b.set("number", Long.MIN_VALUE));
        assertEquals("number", number.which());
        assertEquals(Long.MIN_VALUE, number.getLong("number"));
        assertFalse(number.toMap().containsKey("none"));

        StructValue word = roundTrip(b -> b.set("word", "wörd"));
        assertEquals("word", word.which());
        assertEquals("wörd", word.getString("word"));
        assertFalse(word.toMap().containsKey("number"));
    }

    @Test
    void namedUnionRoundTripsEachMember() {
        StructValue a = roundTrip(b -> b.setStruct("choice", c -> c.set("a", true))).getStruct("choice");
        assertEquals("a", a.which());
        assertTrue(a.getBoolean("a"));
        assertFalse(a.toMap().containsKey("b"));

        StructValue bv = roundTrip(b -> b.setStruct("choice", c -> c.set("b", -2.5))).getStruct("choice");
        assertEquals("b", bv.which());
        assertEquals(-2.5, bv.getDouble("b"));
        assertFalse(bv.toMap().containsKey("a"));
    }

    @Test
    void scalarListsRoundTripWithTheirLimits() {
        StructValue v = roundTrip(b -> b
                .set("boolList", List.of(true, false, true))
                .set("i8List", List.of(Byte.MIN_VALUE, (byte) 0, Byte.MAX_VALUE))
                .set("i16List", new short[] {Short.MIN_VALUE, Short.MAX_VALUE})
                .set("i32List", new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE})
                .set("i64List", new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
                .set("u8List", List.of(0, 255))
                .set("u16List", List.of(0, 65535))
                .set("u32List", List.of(0L, 4294967295L))
                .set("u64List", List.of(BigInteger.ZERO, BigInteger.valueOf(Long.MAX_VALUE), UINT64_MAX))
                .set("f32List", new float[] {1.5f, -0.25f})
                .set("f64List", new double[] {Double.MAX_VALUE, Double.MIN_VALUE}));
        assertEquals(List.of(true, false, true), v.getList("boolList"));
        assertEquals(List.of((long) Byte.MIN_VALUE, 0L, (long) Byte.MAX_VALUE), v.getList("i8List"));
        assertEquals(List.of((long) Short.MIN_VALUE, (long) Short.MAX_VALUE), v.getList("i16List"));
        assertEquals(List.of((long) Integer.MIN_VALUE, 0L, (long) Integer.MAX_VALUE), v.getList("i32List"));
        assertEquals(List.of(Long.MIN_VALUE, Long.MAX_VALUE), v.getList("i64List"));
        assertEquals(List.of(0L, 255L), v.getList("u8List"));
        assertEquals(List.of(0L, 65535L), v.getList("u16List"));
        assertEquals(List.of(0L, 4294967295L), v.getList("u32List"));
        assertEquals(List.of(0L, Long.MAX_VALUE, UINT64_MAX), v.getList("u64List"),
                "UInt64 elements above Long.MAX_VALUE read as BigInteger");
        assertEquals(List.of(1.5, -0.25), v.getList("f32List"));
        assertEquals(List.of(Double.MAX_VALUE, Double.MIN_VALUE), v.getList("f64List"));
    }

    @Test
    void byteArraysFillInt8ListsSignedAndUInt8ListsUnsigned() {
        byte[] bytes = {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE};
        StructValue v = roundTrip(b -> b.set("i8List", bytes).set("u8List", bytes));
        assertEquals(List.of(-128L, -1L, 0L, 1L, 127L), v.getList("i8List"));
        assertEquals(List.of(128L, 255L, 0L, 1L, 127L), v.getList("u8List"));
        assertEquals(List.of(), roundTrip(b -> b.set("i8List", new byte[0])).getList("i8List"));
    }

    @Test
    void pointerListsRoundTripIncludingNestedLists() {
        byte[] zeros = {0, 0, 0};
        StructValue v = roundTrip(b -> b
                .set("textList", List.of("one", "", "drei ü"))
                .set("dataList", List.of(zeros, new byte[0], "x".getBytes(StandardCharsets.UTF_8)))
                .set("colorList", List.of("blue", "red", "green"))
                .set("innerList", List.of(
                        new StructBuilder().set("id", 1).set("name", "first"),
                        new StructBuilder().set("id", 2)))
                .set("nestedList", List.of(List.of(1, 2, 3), List.of(), List.of(Integer.MIN_VALUE))));
        assertEquals(List.of("one", "", "drei ü"), v.getList("textList"));
        List<Object> data = v.getList("dataList");
        assertEquals(3, data.size());
        assertArrayEquals(zeros, (byte[]) data.get(0));
        assertArrayEquals(new byte[0], (byte[]) data.get(1));
        assertArrayEquals(new byte[] {'x'}, (byte[]) data.get(2));
        assertEquals(List.of("blue", "red", "green"), v.getList("colorList"));
        List<Object> inner = v.getList("innerList");
        assertEquals(2, inner.size());
        assertEquals(1, ((StructValue) inner.get(0)).getInt("id"));
        assertEquals("first", ((StructValue) inner.get(0)).getString("name"));
        assertEquals(2, ((StructValue) inner.get(1)).getInt("id"));
        assertNull(((StructValue) inner.get(1)).getString("name"), "unset text in a list element is absent");
        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(), List.of((long) Integer.MIN_VALUE)),
                v.getList("nestedList"));

        StructValue empty = roundTrip(b -> b.set("i32List", List.of()).set("innerList", List.of()));
        assertEquals(List.of(), empty.getList("i32List"), "an empty list is not absent");
        assertEquals(List.of(), empty.getList("innerList"));
    }

    @Test
    void unsetFieldsReadAsDefaultsAndAbsentPointersAsNull() {
        StructValue v = roundTrip(b -> {});
        assertEquals(42, v.getInt("defInt"));
        assertEquals("hello", v.getString("defText"));
        assertEquals("blue", v.getString("defColor"));
        assertEquals(1.5, v.getDouble("defFloat"));
        assertTrue(v.getBoolean("defBool"));
        assertEquals(UINT64_MAX, v.getBigInteger("defU64"));
        assertTrue(v.get("defU64") instanceof BigInteger, "2^64-1 reads as BigInteger, not a wrapped long");
        ArithmeticException wrapped = assertThrows(ArithmeticException.class, () -> v.getLong("defU64"));
        assertTrue(wrapped.getMessage().contains("defU64"), wrapped.getMessage());

        for (String pointer : List.of("text", "data", "inner", "boolList", "u64List", "textList", "dataList",
                "colorList", "innerList", "nestedList")) {
            assertTrue(v.toMap().containsKey(pointer), pointer + " is listed");
            assertNull(v.get(pointer), pointer + " is absent, so null");
            assertFalse(v.has(pointer), pointer);
        }
        assertEquals(0, v.getLong("i64"));
        assertEquals(0, v.getLong("u64"));
        assertFalse(v.getBoolean("flag"));
        assertEquals("red", v.getString("color"), "an unset enum is its first enumerant");
        assertEquals(0, v.getStruct("point").getInt("x"), "a group is never absent");
        assertEquals("none", v.which(), "the first union member is active by default");
        assertEquals("a", v.getStruct("choice").which());
    }

    @Test
    void explicitValuesOverrideDefaults() {
        StructValue v = roundTrip(b -> b.set("defInt", 0).set("defText", "bye").set("defColor", "red")
                .set("defFloat", 0.0).set("defBool", false).set("defU64", 0));
        assertEquals(0, v.getInt("defInt"));
        assertEquals("bye", v.getString("defText"));
        assertEquals("red", v.getString("defColor"));
        assertEquals(0.0, v.getDouble("defFloat"));
        assertFalse(v.getBoolean("defBool"));
        assertEquals(0, v.getLong("defU64"));
    }

    private IllegalArgumentException rejected(Consumer<StructBuilder> value) {
        return assertThrows(IllegalArgumentException.class, () -> client.call("roundTrip", p -> p.setStruct("value", value)));
    }

    private static void assertNames(IllegalArgumentException e, String... parts) {
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }

    @Test
    void unsignedValuesOutOfRangeAreRejectedNamingTheFieldNeverWrapped() {
        assertNames(rejected(b -> b.set("u8", 256)), "TypesTest.roundTrip$Params.value.u8", "256", "UInt8",
                "field AllTypes.u8");
        assertNames(rejected(b -> b.set("u16", -1)), "AllTypes", "value.u16", "-1", "UInt16");
        assertNames(rejected(b -> b.set("u32", 1L << 32)), "AllTypes", "value.u32", "4294967296", "UInt32");
        assertNames(rejected(b -> b.set("u64", -1L)), "AllTypes", "value.u64", "-1", "UInt64");
        assertNames(rejected(b -> b.set("u64", UINT64_MAX.add(BigInteger.ONE))), "value.u64", "18446744073709551616");
        assertNames(rejected(b -> b.set("u8List", List.of(1, 256))), "value.u8List[1]", "256", "element of AllTypes.u8List");
        assertNames(rejected(b -> b.setStruct("point", p -> p.set("x", 1L << 40))), "value.point.x", "AllTypes.point.x");
        assertEquals(null, lastReceived, "nothing reached the server");
        assertEquals(255, roundTrip(b -> b.set("u8", 255)).getLong("u8"), "the client still works");
    }

    @Test
    void signedValuesOutOfRangeAreRejected() {
        assertNames(rejected(b -> b.set("i8", 128)), "AllTypes", "value.i8", "128", "Int8");
        assertNames(rejected(b -> b.set("i8", -129)), "value.i8", "-129");
        assertNames(rejected(b -> b.set("i16", 32768)), "value.i16", "32768", "Int16");
        assertNames(rejected(b -> b.set("i32", 1L << 31)), "value.i32", "2147483648", "Int32");
        assertNames(rejected(b -> b.set("i64", UINT64_MAX)), "value.i64", "Int64");
        assertNames(rejected(b -> b.set("f32", 1e39)), "value.f32", "Float32");
        assertNames(rejected(b -> b.setStruct("inner", i -> i.set("id", -5))), "inner.id", "-5", "UInt32");
    }

    @Test
    void valuesOfTheWrongKindAreRejectedNamingFieldAndExpectedType() {
        assertNames(rejected(b -> b.set("i32", "12")), "value.i32", "Int32", "string");
        assertNames(rejected(b -> b.set("flag", 1)), "value.flag", "Bool");
        assertNames(rejected(b -> b.set("text", new byte[] {1})), "value.text", "Text");
        assertNames(rejected(b -> b.set("color", "purple")), "value.color", "purple", "red, green, blue");
        assertNames(rejected(b -> b.set("inner", 5)), "value.inner", "Inner");
        assertNames(rejected(b -> b.set("nestedList", List.of(1))), "nestedList[0]", "List(Int32)");
        assertNames(rejected(b -> b.set("i16List", new byte[] {1})), "value.i16List", "List(Int16)", "byte array");
        assertNames(rejected(b -> b.set("nope", 1)), "no field 'nope'", "AllTypes", "i32");
    }
}
