// Encoding a Cap'n Proto struct as a value tree (the table is in codec.h).
#include <mpjava/values/codec.h>

#include <mpjava/protocol/fields.h>

#include <cstring>

namespace mpjava {

bool IsProtocolField(capnp::Type type)
{
    return IsContextType(type) || IsThreadMapType(type);
}

bool IsPointer(capnp::schema::Type::Which which)
{
    switch (which) {
    case capnp::schema::Type::TEXT:
    case capnp::schema::Type::DATA:
    case capnp::schema::Type::LIST:
    case capnp::schema::Type::STRUCT:
    case capnp::schema::Type::INTERFACE:
    case capnp::schema::Type::ANY_POINTER: return true;
    default: return false;
    }
}

namespace {

// ---- encoding -------------------------------------------------------------

class Out {
public:
    Out(std::string& out, CapabilityCodec* caps) : caps(caps), m_out(out) {}
    CapabilityCodec* const caps;
    void tag(ValueTag t) { u8(static_cast<uint8_t>(t)); }
    void u8(uint8_t v) { m_out.push_back(static_cast<char>(v)); }
    void u16(uint16_t v) { raw(&v, 2); }
    void u32(uint32_t v) { raw(&v, 4); }
    void u64(uint64_t v) { raw(&v, 8); }
    void f64(double v) { raw(&v, 8); }
    // Reserves a u32 to be written later with patchU32; returns its position.
    size_t u32Placeholder()
    {
        u32(0);
        return m_out.size() - 4;
    }
    void patchU32(size_t at, uint32_t v) { std::memcpy(&m_out[at], &v, 4); }
    void text16(kj::StringPtr s)
    {
        u16(static_cast<uint16_t>(s.size()));
        raw(s.begin(), s.size());
    }
    void blob32(const void* data, std::size_t size)
    {
        u32(static_cast<uint32_t>(size));
        raw(data, size);
    }

private:
    void raw(const void* p, std::size_t n) { m_out.append(static_cast<const char*>(p), n); }  // x86-64: LE
    std::string& m_out;
};


void EncodeStructBody(capnp::DynamicStruct::Reader reader, Out& out, int depth);

void EncodeValue(capnp::DynamicValue::Reader value, Out& out, int depth)
{
    if (depth > kMaxValueDepth) throw ValueError("value nested deeper than 64 levels");
    switch (value.getType()) {
    case capnp::DynamicValue::VOID: out.tag(ValueTag::Void); break;
    case capnp::DynamicValue::BOOL:
        out.tag(ValueTag::Bool);
        out.u8(value.as<bool>() ? 1 : 0);
        break;
    case capnp::DynamicValue::INT:
        out.tag(ValueTag::Int);
        out.u64(static_cast<uint64_t>(value.as<int64_t>()));
        break;
    case capnp::DynamicValue::UINT:
        out.tag(ValueTag::UInt);
        out.u64(value.as<uint64_t>());
        break;
    case capnp::DynamicValue::FLOAT:
        out.tag(ValueTag::Float);
        out.f64(value.as<double>());
        break;
    case capnp::DynamicValue::TEXT: {
        auto text = value.as<capnp::Text>();
        out.tag(ValueTag::Text);
        out.blob32(text.begin(), text.size());
        break;
    }
    case capnp::DynamicValue::DATA: {
        auto data = value.as<capnp::Data>();
        out.tag(ValueTag::Data);
        out.blob32(data.begin(), data.size());
        break;
    }
    case capnp::DynamicValue::LIST: {
        auto list = value.as<capnp::DynamicList>();
        out.tag(ValueTag::List);
        out.u32(list.size());
        for (auto element : list) EncodeValue(element, out, depth + 1);
        break;
    }
    case capnp::DynamicValue::ENUM: {
        auto e = value.as<capnp::DynamicEnum>();
        out.tag(ValueTag::Enum);
        out.u16(e.getRaw());
        KJ_IF_MAYBE(enumerant, e.getEnumerant()) {
            out.text16(enumerant->getProto().getName());
        } else {
            out.text16("");  // a value newer than our schema
        }
        break;
    }
    case capnp::DynamicValue::STRUCT:
        out.tag(ValueTag::Struct);
        EncodeStructBody(value.as<capnp::DynamicStruct>(), out, depth + 1);
        break;
    case capnp::DynamicValue::CAPABILITY:
        if (out.caps) {
            out.tag(ValueTag::Capability);
            out.u8(static_cast<uint8_t>(CapKind::Held));
            out.u64(out.caps->hold(value.as<capnp::DynamicCapability>()));
        } else {
            out.tag(ValueTag::Null);
        }
        break;
    default:
        out.tag(ValueTag::Null);  // AnyPointer is not a value here
        break;
    }
}

void EncodeStructBody(capnp::DynamicStruct::Reader reader, Out& out, int depth)
{
    auto schema = reader.getSchema();
    kj::Maybe<capnp::StructSchema::Field> active = reader.which();
    KJ_IF_MAYBE(field, active) {
        out.text16(field->getProto().getName());
    } else {
        out.text16("");
    }
    // The count precedes the fields; it is known once they are written.
    const size_t count_at = out.u32Placeholder();
    uint32_t count = 0;
    auto emit = [&](capnp::StructSchema::Field field) {
        ++count;
        auto proto = field.getProto();
        out.text16(proto.getName());
        if (proto.isSlot()) {
            auto which = field.getType().which();
            if (IsPointer(which) && !reader.has(field) && !proto.getSlot().getHadExplicitDefault()) {
                out.tag(ValueTag::Null);
                return;
            }
        }
        EncodeValue(reader.get(field), out, depth);
    };
    for (auto field : schema.getNonUnionFields()) {
        if (!field.getProto().isSlot() || !IsProtocolField(field.getType())) emit(field);
    }
    KJ_IF_MAYBE(field, active) {
        emit(*field);
    }
    out.patchU32(count_at, count);
}

} // namespace

void EncodeStruct(capnp::DynamicStruct::Reader reader, std::string& out, CapabilityCodec* caps)
{
    Out o(out, caps);
    o.tag(ValueTag::Struct);
    EncodeStructBody(reader, o, 0);
}

} // namespace mpjava
