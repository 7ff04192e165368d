// The value tree exchanged with Java: a compact, self-describing encoding of a
// Cap'n Proto struct. Java builds params/results as such a tree and reads them back
// from one, so each call crosses JNI once per direction, and all type checks happen
// here, against the schema, with messages naming the field path.
//
// Encoding (little endian). Java's ValueCodec implements the same table.
//   value  := tag:u8 payload
//   VOID   0  -                     NULL   10 -   (absent pointer field)
//   BOOL   1  u8 (0 or 1)           INT    2  i64 (any signed or unsigned integer that fits in i64)
//   UINT   3  u64 (an unsigned value; Java writes it only above Long.MAX_VALUE)
//   FLOAT  4  f64                   TEXT   5  u32 length + UTF-8 bytes
//   DATA   6  u32 length + bytes    LIST   7  u32 count + count values
//   STRUCT 8  u16 which-length + which (active union member or empty)
//             + u32 count + count x (u16 name-length + name + value)
//   ENUM   9  u16 ordinal + u16 name-length + name
//   CAP    11 u8 kind + u64 handle: kind 0 = a capability handle held by Java
//             (a received capability), kind 1 = a Java implementation to export
//             (handle = its dispatcher token); absent interface fields are NULL
// Proxy.Context and ThreadMap fields are the protocol's own (filled natively) and are
// neither encoded nor accepted.
// When reading, Int* fields come as INT, UInt* fields as UINT, Float* as FLOAT; when
// writing, INT/UINT/FLOAT/TEXT are converted to the field's type with range checks
// (TEXT also names an enumerant, INT also gives an enum ordinal).
#pragma once

#include <capnp/dynamic.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace mpjava {

enum class ValueTag : uint8_t {
    Void = 0, Bool = 1, Int = 2, UInt = 3, Float = 4, Text = 5, Data = 6,
    List = 7, Struct = 8, Enum = 9, Null = 10, Capability = 11,
};

enum class CapKind : uint8_t { Held = 0, Export = 1 };

// Turns capabilities into value-tree handles and back; supplied by whoever encodes
// or decodes (the JNI facade). Without one, capabilities cannot appear in values.
class CapabilityCodec {
public:
    virtual ~CapabilityCodec() = default;
    // A received capability becomes a handle Java holds.
    virtual uint64_t hold(capnp::DynamicCapability::Client cap) = 0;
    // A handle from Java becomes a capability of `type` (throws ValueError if it cannot).
    virtual capnp::Capability::Client resolve(CapKind kind, uint64_t handle, capnp::InterfaceSchema type,
                                              const std::string& path) = 0;
};

// Fields that belong to the libmultiprocess protocol rather than to the application.
bool IsProtocolField(capnp::Type type);

// Types stored as pointers (absent when null): Text, Data, List, Struct, interfaces, AnyPointer.
bool IsPointer(capnp::schema::Type::Which which);

// How deeply values may nest: the nesting limit Cap'n Proto applies to messages.
constexpr int kMaxValueDepth = 64;

// A value that does not fit the schema: unknown field, wrong type, out of range.
class ValueError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Appends the encoding of `reader` (tag STRUCT) to out.
void EncodeStruct(capnp::DynamicStruct::Reader reader, std::string& out, CapabilityCodec* caps = nullptr);

// Sets the fields of `builder` from an encoded STRUCT tree. Throws ValueError naming
// the place in the message (`path`, e.g. "Calc.add$Params.a") and, for a value that
// does not fit, the schema field it was checked against, e.g. "(field AllTypes.u8)".
void DecodeStruct(const uint8_t* data, std::size_t size, capnp::DynamicStruct::Builder builder,
                  const std::string& path, CapabilityCodec* caps = nullptr);

} // namespace mpjava
