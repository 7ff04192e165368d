# Round-trip schema covering every non-capability Cap'n Proto value type,
# plus groups, unions, nested lists and default values.

@0xf2e7db29c43486bf;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mpjava::test::types");

enum Color {
    red @0;
    green @1;
    blue @2;
}

struct Inner {
    id @0 :UInt32;
    name @1 :Text;
}

struct AllTypes {
    nothing @0 :Void;

    # Scalars.
    flag @1 :Bool;
    i8 @2 :Int8;
    i16 @3 :Int16;
    i32 @4 :Int32;
    i64 @5 :Int64;
    u8 @6 :UInt8;
    u16 @7 :UInt16;
    u32 @8 :UInt32;
    u64 @9 :UInt64;
    f32 @10 :Float32;
    f64 @11 :Float64;

    # Pointers and composites.
    text @12 :Text;
    data @13 :Data;
    color @14 :Color;
    inner @15 :Inner;

    point :group {
        x @16 :Int32;
        y @17 :Int32;
    }

    # Unnamed union: members live directly in AllTypes' scope.
    union {
        none @18 :Void;
        number @19 :Int64;
        word @20 :Text;
    }

    # Named union: members live under `choice`.
    choice :union {
        a @21 :Bool;
        b @22 :Float64;
    }

    # One list per element type.
    boolList @23 :List(Bool);
    i8List @24 :List(Int8);
    i16List @25 :List(Int16);
    i32List @26 :List(Int32);
    i64List @27 :List(Int64);
    u8List @28 :List(UInt8);
    u16List @29 :List(UInt16);
    u32List @30 :List(UInt32);
    u64List @31 :List(UInt64);
    f32List @32 :List(Float32);
    f64List @33 :List(Float64);
    textList @34 :List(Text);
    dataList @35 :List(Data);
    colorList @36 :List(Color);
    innerList @37 :List(Inner);
    nestedList @38 :List(List(Int32));

    # Non-zero defaults: scalars are XOR-ed with them on the wire, and a null
    # defText pointer must read back as "hello".
    defInt @39 :Int32 = 42;
    defText @40 :Text = "hello";
    defColor @41 :Color = blue;
    defFloat @42 :Float64 = 1.5;
    defBool @43 :Bool = true;
    defU64 @44 :UInt64 = 18446744073709551615;
}

interface TypesTest {
    roundTrip @0 (value :AllTypes) -> (result :AllTypes);
}
