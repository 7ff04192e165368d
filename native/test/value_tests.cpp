// The value tree codec: every Cap'n Proto value type survives encode/decode, and
// values that do not fit the schema fail naming the field.
#include "test_support.h"

#include <mpjava/values/codec.h>

#include <capnp/message.h>

using namespace mpjava;
using namespace mpjava::test;

namespace {

// Builds encoded trees by hand, as the Java side does.
class Tree {
public:
    Tree& structStart(uint32_t count)
    {
        tag(ValueTag::Struct);
        u16(0);
        u32(count);
        return *this;
    }
    Tree& name(const std::string& n)
    {
        u16(static_cast<uint16_t>(n.size()));
        m_bytes += n;
        return *this;
    }
    Tree& integer(int64_t v)
    {
        tag(ValueTag::Int);
        raw(&v, 8);
        return *this;
    }
    Tree& text(const std::string& s)
    {
        tag(ValueTag::Text);
        u32(static_cast<uint32_t>(s.size()));
        m_bytes += s;
        return *this;
    }
    const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(m_bytes.data()); }
    size_t size() const { return m_bytes.size(); }

private:
    void tag(ValueTag t) { m_bytes.push_back(static_cast<char>(t)); }
    void u16(uint16_t v) { raw(&v, 2); }
    void u32(uint32_t v) { raw(&v, 4); }
    void raw(const void* p, size_t n) { m_bytes.append(static_cast<const char*>(p), n); }
    std::string m_bytes;
};

capnp::StructSchema AllTypes() { return TestSchemas().findStruct("AllTypes"); }

} // namespace

MPJ_TEST(ValuesRoundTripEveryType)
{
    capnp::MallocMessageBuilder message;
    auto b = message.initRoot<capnp::DynamicStruct>(AllTypes());
    b.set("flag", true);
    b.set("i8", -128);
    b.set("i16", -32768);
    b.set("i32", -2147483647 - 1);
    b.set("i64", INT64_MIN);
    b.set("u8", 255);
    b.set("u16", 65535);
    b.set("u32", 4294967295u);
    b.set("u64", UINT64_MAX);
    b.set("f32", 1.5f);
    b.set("f64", -2.25);
    b.set("text", "héllo");
    b.set("data", capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("\0\1\2"), 3));
    b.set("color", "green");
    b.init("inner").as<capnp::DynamicStruct>().set("id", 7);
    b.get("point").as<capnp::DynamicStruct>().set("x", 3);
    b.set("word", "union member");
    b.get("choice").as<capnp::DynamicStruct>().set("b", 0.5);
    auto texts = b.init("textList", 2).as<capnp::DynamicList>();
    texts.set(0, "a");
    texts.set(1, "b");
    auto nested = b.init("nestedList", 1).as<capnp::DynamicList>();
    nested.init(0, 2).as<capnp::DynamicList>().set(1, 9);
    b.init("innerList", 1).as<capnp::DynamicList>()[0].as<capnp::DynamicStruct>().set("name", "n");

    std::string first;
    EncodeStruct(b.asReader(), first);
    capnp::MallocMessageBuilder copy;
    auto c = copy.initRoot<capnp::DynamicStruct>(AllTypes());
    DecodeStruct(reinterpret_cast<const uint8_t*>(first.data()), first.size(), c, "AllTypes");
    std::string second;
    EncodeStruct(c.asReader(), second);
    MPJ_CHECK(first == second);
    MPJ_CHECK_EQ(c.asReader().get("u64").as<uint64_t>(), UINT64_MAX);
    MPJ_CHECK_EQ(std::string(c.asReader().get("word").as<capnp::Text>().cStr()), std::string("union member"));
    MPJ_CHECK_EQ(c.asReader().get("defInt").as<int32_t>(), 42);  // defaults untouched
}

MPJ_TEST(ValueErrorsNameTheField)
{
    auto decode = [](const Tree& tree) {
        capnp::MallocMessageBuilder message;
        auto b = message.initRoot<capnp::DynamicStruct>(AllTypes());
        DecodeStruct(tree.data(), tree.size(), b, "AllTypes");
    };
    MPJ_CHECK_THROWS(decode(Tree().structStart(1).name("nope").integer(1)), "AllTypes: no field 'nope'");
    MPJ_CHECK_THROWS(decode(Tree().structStart(1).name("u8").integer(256)), "AllTypes.u8: value 256 out of range for UInt8");
    MPJ_CHECK_THROWS(decode(Tree().structStart(1).name("u32").integer(-1)), "AllTypes.u32: value -1 out of range for UInt32");
    MPJ_CHECK_THROWS(decode(Tree().structStart(1).name("i32").text("x")), "AllTypes.i32: expected Int32, got string");
    MPJ_CHECK_THROWS(decode(Tree().structStart(1).name("color").text("purple")), "'purple' is not a value of enum Color");
    MPJ_CHECK_THROWS(decode(Tree().structStart(2).name("i32").integer(1)), "truncated");
}
