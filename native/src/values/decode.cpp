// Decoding a value tree into a Cap'n Proto struct builder, checking every value
// against the schema (the table is in codec.h).
#include <mpjava/values/codec.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace mpjava {

namespace {

// ---- decoding -------------------------------------------------------------

class In {
public:
    In(const uint8_t* data, std::size_t size, CapabilityCodec* caps) : caps(caps), m_p(data), m_end(data + size) {}
    CapabilityCodec* const caps;
    uint8_t u8() { return *need(1); }
    uint16_t u16() { return load<uint16_t>(); }
    uint32_t u32() { return load<uint32_t>(); }
    uint64_t u64() { return load<uint64_t>(); }
    double f64() { return load<double>(); }
    kj::StringPtr text16(std::string& storage)
    {
        std::size_t n = u16();
        storage.assign(reinterpret_cast<const char*>(need(n)), n);
        return storage;
    }
    kj::ArrayPtr<const uint8_t> blob32()
    {
        std::size_t n = u32();
        return kj::arrayPtr(need(n), n);
    }
    bool atEnd() const { return m_p == m_end; }

private:
    template <typename T>
    T load()
    {
        T v;
        std::memcpy(&v, need(sizeof(T)), sizeof(T));
        return v;
    }
    const uint8_t* need(std::size_t n)
    {
        if (static_cast<std::size_t>(m_end - m_p) < n) throw ValueError("malformed value tree (truncated)");
        const uint8_t* p = m_p;
        m_p += n;
        return p;
    }
    const uint8_t* m_p;
    const uint8_t* m_end;
};

std::string TypeName(capnp::Type type)
{
    using W = capnp::schema::Type;
    switch (type.which()) {
    case W::VOID: return "Void";
    case W::BOOL: return "Bool";
    case W::INT8: return "Int8";
    case W::INT16: return "Int16";
    case W::INT32: return "Int32";
    case W::INT64: return "Int64";
    case W::UINT8: return "UInt8";
    case W::UINT16: return "UInt16";
    case W::UINT32: return "UInt32";
    case W::UINT64: return "UInt64";
    case W::FLOAT32: return "Float32";
    case W::FLOAT64: return "Float64";
    case W::TEXT: return "Text";
    case W::DATA: return "Data";
    case W::LIST: return "List(" + TypeName(type.asList().getElementType()) + ")";
    case W::ENUM: return std::string("enum ") + type.asEnum().getShortDisplayName().cStr();
    case W::STRUCT: return std::string("struct ") + type.asStruct().getShortDisplayName().cStr();
    case W::INTERFACE: return std::string("interface ") + type.asInterface().getShortDisplayName().cStr();
    case W::ANY_POINTER: return "AnyPointer";
    }
    return "unknown";
}

const char* TagName(uint8_t tag)
{
    switch (static_cast<ValueTag>(tag)) {
    case ValueTag::Void: return "void";
    case ValueTag::Bool: return "boolean";
    case ValueTag::Int:
    case ValueTag::UInt: return "integer";
    case ValueTag::Float: return "floating point number";
    case ValueTag::Text: return "string";
    case ValueTag::Data: return "byte array";
    case ValueTag::List: return "list";
    case ValueTag::Struct: return "struct";
    case ValueTag::Enum: return "enum";
    case ValueTag::Null: return "null";
    case ValueTag::Capability: return "capability";
    }
    return "unknown value";
}

[[noreturn]] void Mismatch(const std::string& path, capnp::Type type, uint8_t tag)
{
    throw ValueError(path + ": expected " + TypeName(type) + ", got " + TagName(tag));
}

[[noreturn]] void OutOfRange(const std::string& path, capnp::Type type, const std::string& value)
{
    throw ValueError(path + ": value " + value + " out of range for " + TypeName(type));
}

// Reads an integer (INT or UINT tag already consumed) and converts it to `type`.
capnp::DynamicValue::Reader Integer(In& in, uint8_t tag, capnp::Type type, const std::string& path)
{
    using W = capnp::schema::Type;
    const bool is_unsigned_tag = tag == static_cast<uint8_t>(ValueTag::UInt);
    const uint64_t raw = in.u64();
    const int64_t s = static_cast<int64_t>(raw);
    const std::string shown = is_unsigned_tag ? std::to_string(raw) : std::to_string(s);
    auto signed_in = [&](int64_t lo, int64_t hi) {
        if (is_unsigned_tag || s < lo || s > hi) OutOfRange(path, type, shown);
        return s;
    };
    auto unsigned_in = [&](uint64_t hi) {
        if (!is_unsigned_tag && s < 0) OutOfRange(path, type, shown);
        if (raw > hi) OutOfRange(path, type, shown);
        return raw;
    };
    switch (type.which()) {
    case W::INT8: return static_cast<int8_t>(signed_in(INT8_MIN, INT8_MAX));
    case W::INT16: return static_cast<int16_t>(signed_in(INT16_MIN, INT16_MAX));
    case W::INT32: return static_cast<int32_t>(signed_in(INT32_MIN, INT32_MAX));
    case W::INT64: return signed_in(INT64_MIN, INT64_MAX);
    case W::UINT8: return static_cast<uint8_t>(unsigned_in(UINT8_MAX));
    case W::UINT16: return static_cast<uint16_t>(unsigned_in(UINT16_MAX));
    case W::UINT32: return static_cast<uint32_t>(unsigned_in(UINT32_MAX));
    case W::UINT64: return unsigned_in(UINT64_MAX);
    case W::FLOAT32:
    case W::FLOAT64: return is_unsigned_tag ? static_cast<double>(raw) : static_cast<double>(s);
    default: Mismatch(path, type, tag);
    }
}

capnp::DynamicEnum EnumValue(In& in, uint8_t tag, capnp::EnumSchema schema, capnp::Type type, const std::string& path)
{
    std::string name;
    auto by_ordinal = [&](uint64_t ordinal) {
        for (auto e : schema.getEnumerants()) {
            if (e.getOrdinal() == ordinal) return capnp::DynamicEnum(e);
        }
        OutOfRange(path, type, std::to_string(ordinal));
    };
    switch (static_cast<ValueTag>(tag)) {
    case ValueTag::Text: {
        auto bytes = in.blob32();
        name.assign(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
        KJ_IF_MAYBE(e, schema.findEnumerantByName(name)) {
            return capnp::DynamicEnum(*e);
        }
        std::string valid;
        for (auto e : schema.getEnumerants()) valid += std::string(valid.empty() ? "" : ", ") + e.getProto().getName().cStr();
        throw ValueError(path + ": '" + name + "' is not a value of " + TypeName(type) + " (" + valid + ")");
    }
    case ValueTag::Enum: {
        uint16_t ordinal = in.u16();
        in.text16(name);
        return by_ordinal(ordinal);
    }
    case ValueTag::Int: {
        int64_t v = static_cast<int64_t>(in.u64());
        if (v < 0 || v > UINT16_MAX) OutOfRange(path, type, std::to_string(v));
        return by_ordinal(static_cast<uint64_t>(v));
    }
    default: Mismatch(path, type, tag);
    }
}

void DecodeStructBody(In& in, capnp::DynamicStruct::Builder builder, const std::string& path, int depth);

// Reads a scalar of `type` (tag consumed) for a field or list element.
capnp::DynamicValue::Reader Scalar(In& in, uint8_t tag, capnp::Type type, const std::string& path)
{
    using W = capnp::schema::Type;
    switch (type.which()) {
    case W::VOID:
        if (tag != static_cast<uint8_t>(ValueTag::Void) && tag != static_cast<uint8_t>(ValueTag::Null)) Mismatch(path, type, tag);
        return capnp::VOID;
    case W::BOOL:
        if (tag != static_cast<uint8_t>(ValueTag::Bool)) Mismatch(path, type, tag);
        return in.u8() != 0;
    case W::FLOAT32:
    case W::FLOAT64:
        if (tag == static_cast<uint8_t>(ValueTag::Float)) {
            double v = in.f64();
            if (type.which() == W::FLOAT32 && std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()) {
                OutOfRange(path, type, std::to_string(v));
            }
            return type.which() == W::FLOAT32 ? capnp::DynamicValue::Reader(static_cast<float>(v))
                                               : capnp::DynamicValue::Reader(v);
        }
        if (tag == static_cast<uint8_t>(ValueTag::Int) || tag == static_cast<uint8_t>(ValueTag::UInt)) {
            return Integer(in, tag, type, path);
        }
        Mismatch(path, type, tag);
    default:
        if (tag != static_cast<uint8_t>(ValueTag::Int) && tag != static_cast<uint8_t>(ValueTag::UInt)) Mismatch(path, type, tag);
        return Integer(in, tag, type, path);
    }
}

bool IsScalar(capnp::schema::Type::Which which)
{
    return !IsPointer(which) && which != capnp::schema::Type::ENUM;
}

// The schema field a value belongs to, named in errors only: built lazily, since
// decoding is on every call's path.
struct Label {
    capnp::StructSchema owner;
    capnp::StructSchema::Field field;
    bool element;
    std::string text() const;
};

void DecodeList(In& in, capnp::DynamicList::Builder list, const std::string& path, int depth, const Label& label);

// Reads a capability (tag consumed) for an interface-typed field or element.
capnp::Capability::Client Capability(In& in, uint8_t tag, capnp::Type type, const std::string& path)
{
    if (tag != static_cast<uint8_t>(ValueTag::Capability)) Mismatch(path, type, tag);
    auto kind = static_cast<CapKind>(in.u8());
    uint64_t handle = in.u64();
    if (!in.caps) throw ValueError(path + ": capabilities cannot be passed here");
    return in.caps->resolve(kind, handle, type.asInterface(), path);
}

// "AllTypes.u8": the schema field a value belongs to, as written in its .capnp file
// (groups included, e.g. "AllTypes.point.x"), without the file name.
std::string FieldLabel(capnp::StructSchema owner, capnp::StructSchema::Field field)
{
    kj::StringPtr display = owner.getProto().getDisplayName();
    std::string scope = display.cStr();
    auto colon = scope.find(':');
    if (colon != std::string::npos) scope = scope.substr(colon + 1);
    return scope + "." + field.getProto().getName().cStr();
}

// Runs fn, which decodes one value without descending into structs or lists, adding
// the schema field (`label`) to a ValueError, so the message names both the place in
// the message (the path) and the field of the schema it failed against.
std::string Label::text() const { return (element ? "element of " : "field ") + FieldLabel(owner, field); }

template <typename F>
void Labelled(const Label& label, F&& fn)
{
    try {
        fn();
    } catch (const ValueError& e) {
        throw ValueError(std::string(e.what()) + " (" + label.text() + ")");
    }
}

// Sets builder.field from the next value.
void DecodeField(In& in, capnp::DynamicStruct::Builder builder, capnp::StructSchema::Field field,
                 const std::string& path, int depth)
{
    using W = capnp::schema::Type;
    const uint8_t tag = in.u8();
    const bool is_null = tag == static_cast<uint8_t>(ValueTag::Null);
    const Label label{builder.getSchema(), field, false};
    auto proto = field.getProto();
    if (proto.isGroup()) {
        if (tag != static_cast<uint8_t>(ValueTag::Struct)) {
            throw ValueError(path + ": expected group, got " + TagName(tag) + " (" + label.text() + ")");
        }
        DecodeStructBody(in, builder.init(field).as<capnp::DynamicStruct>(), path, depth + 1);
        return;
    }
    capnp::Type type = field.getType();
    const auto which = type.which();
    if (IsScalar(which)) {
        Labelled(label, [&] { builder.set(field, Scalar(in, tag, type, path)); });
        return;
    }
    if (is_null && IsPointer(which)) {
        builder.clear(field);
        return;
    }
    switch (which) {
    case W::ENUM: Labelled(label, [&] { builder.set(field, EnumValue(in, tag, type.asEnum(), type, path)); }); return;
    case W::TEXT:
        Labelled(label, [&] {
            if (tag != static_cast<uint8_t>(ValueTag::Text)) Mismatch(path, type, tag);
            auto bytes = in.blob32();
            builder.set(field, capnp::Text::Reader(reinterpret_cast<const char*>(bytes.begin()), bytes.size()));
        });
        return;
    case W::DATA:
        Labelled(label, [&] {
            if (tag != static_cast<uint8_t>(ValueTag::Data)) Mismatch(path, type, tag);
            builder.set(field, capnp::Data::Reader(in.blob32()));
        });
        return;
    case W::STRUCT:
        Labelled(label, [&] {
            if (tag != static_cast<uint8_t>(ValueTag::Struct)) Mismatch(path, type, tag);
        });
        DecodeStructBody(in, builder.init(field).as<capnp::DynamicStruct>(), path, depth + 1);
        return;
    case W::LIST: {
        auto element = type.asList().getElementType().which();
        if (tag == static_cast<uint8_t>(ValueTag::Data) && (element == W::INT8 || element == W::UINT8)) {
            // A Java byte[] for a List(Int8) / List(UInt8): bytes as signed or unsigned.
            auto bytes = in.blob32();
            auto list = builder.init(field, bytes.size()).as<capnp::DynamicList>();
            for (uint32_t i = 0; i < bytes.size(); ++i) {
                if (element == W::INT8) list.set(i, static_cast<int8_t>(bytes[i]));
                else list.set(i, static_cast<uint8_t>(bytes[i]));
            }
            return;
        }
        uint32_t count = 0;
        Labelled(label, [&] {
            if (tag != static_cast<uint8_t>(ValueTag::List)) Mismatch(path, type, tag);
            count = in.u32();
        });
        DecodeList(in, builder.init(field, count).as<capnp::DynamicList>(), path, depth + 1,
                   Label{builder.getSchema(), field, true});
        return;
    }
    case W::INTERFACE:
        Labelled(label, [&] {
            builder.set(field, Capability(in, tag, type, path).castAs<capnp::DynamicCapability>(type.asInterface()));
        });
        return;
    default: throw ValueError(path + ": " + TypeName(type) + " fields cannot be set from Java (" + label.text() + ")");
    }
}

void DecodeList(In& in, capnp::DynamicList::Builder list, const std::string& path, int depth, const Label& label)
{
    using W = capnp::schema::Type;
    if (depth > kMaxValueDepth) throw ValueError(path + ": value nested deeper than 64 levels");
    capnp::Type type = list.getSchema().getElementType();
    for (uint32_t i = 0; i < list.size(); ++i) {
        const std::string item = path + "[" + std::to_string(i) + "]";
        const uint8_t tag = in.u8();
        const auto which = type.which();
        if (IsScalar(which)) {
            Labelled(label, [&] { list.set(i, Scalar(in, tag, type, item)); });
            continue;
        }
        if (tag == static_cast<uint8_t>(ValueTag::Null) && which != W::STRUCT) continue;  // leave it null
        switch (which) {
        case W::ENUM: Labelled(label, [&] { list.set(i, EnumValue(in, tag, type.asEnum(), type, item)); }); break;
        case W::TEXT:
            Labelled(label, [&] {
                if (tag != static_cast<uint8_t>(ValueTag::Text)) Mismatch(item, type, tag);
                auto bytes = in.blob32();
                list.set(i, capnp::Text::Reader(reinterpret_cast<const char*>(bytes.begin()), bytes.size()));
            });
            break;
        case W::DATA:
            Labelled(label, [&] {
                if (tag != static_cast<uint8_t>(ValueTag::Data)) Mismatch(item, type, tag);
                list.set(i, capnp::Data::Reader(in.blob32()));
            });
            break;
        case W::STRUCT:
            Labelled(label, [&] {
                if (tag != static_cast<uint8_t>(ValueTag::Struct)) Mismatch(item, type, tag);
            });
            DecodeStructBody(in, list[i].as<capnp::DynamicStruct>(), item, depth + 1);
            break;
        case W::LIST: {
            uint32_t count = 0;
            Labelled(label, [&] {
                if (tag != static_cast<uint8_t>(ValueTag::List)) Mismatch(item, type, tag);
                count = in.u32();
            });
            DecodeList(in, list.init(i, count).as<capnp::DynamicList>(), item, depth + 1, label);
            break;
        }
        case W::INTERFACE:
            Labelled(label, [&] {
                list.set(i, Capability(in, tag, type, item).castAs<capnp::DynamicCapability>(type.asInterface()));
            });
            break;
        default: throw ValueError(item + ": " + TypeName(type) + " elements cannot be set from Java (" + label.text() + ")");
        }
    }
}

void DecodeStructBody(In& in, capnp::DynamicStruct::Builder builder, const std::string& path, int depth)
{
    if (depth > kMaxValueDepth) throw ValueError(path + ": value nested deeper than 64 levels");
    std::string ignored_which;
    in.text16(ignored_which);  // the union member is chosen by the field that is set
    uint32_t count = in.u32();
    auto schema = builder.getSchema();
    std::string name;
    for (uint32_t i = 0; i < count; ++i) {
        in.text16(name);
        KJ_IF_MAYBE(field, schema.findFieldByName(name)) {
            if (field->getProto().isSlot() && IsProtocolField(field->getType())) {
                throw ValueError(path + "." + name + ": is filled by mpjava (a libmultiprocess protocol field)");
            }
            DecodeField(in, builder, *field, path + "." + name, depth);
        } else {
            std::string known;
            for (auto f : schema.getFields()) known += std::string(known.empty() ? "" : ", ") + f.getProto().getName().cStr();
            throw ValueError(path + ": no field '" + name + "' in " + TypeName(schema) + " (fields: " + known + ")");
        }
    }
}

} // namespace

void DecodeStruct(const uint8_t* data, std::size_t size, capnp::DynamicStruct::Builder builder, const std::string& path,
                  CapabilityCodec* caps)
{
    In in(data, size, caps);
    uint8_t tag = in.u8();
    if (tag != static_cast<uint8_t>(ValueTag::Struct)) throw ValueError(path + ": expected a struct value");
    try {
        DecodeStructBody(in, builder, path, 0);
    } catch (const kj::Exception& e) {
        // Cap'n Proto's own checks (e.g. message limits) surface with the path too.
        throw ValueError(path + ": " + e.getDescription().cStr());
    }
    if (!in.atEnd()) throw ValueError(path + ": malformed value tree (trailing bytes)");
}

} // namespace mpjava
