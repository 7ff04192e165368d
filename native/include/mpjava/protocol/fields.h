// Where the libmultiprocess protocol's own fields sit in a params or results struct
// (wire-protocol.md §2-§3, §7): the Proxy.Context field and its two threads,
// ThreadMap-typed fields, and the field annotated $Proxy.exception.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <unordered_map>
#include <vector>

namespace mpjava {

// The protocol's own types, recognised by their IDs in mp/proxy.capnp.
bool IsContextType(capnp::Type type);
bool IsThreadMapType(capnp::Type type);

// The protocol's fields in one params or results struct type.
struct ProtocolFields {
    struct Context {
        capnp::StructSchema::Field field;  // the first Proxy.Context field
        capnp::StructSchema::Field thread, callback_thread;
        capnp::InterfaceSchema thread_type;
    };
    kj::Maybe<Context> context;
    std::vector<capnp::StructSchema::Field> thread_maps;  // ThreadMap-typed fields
    kj::Maybe<capnp::StructSchema::Field> exception;      // the field annotated $Proxy.exception
};

// The ProtocolFields of each struct type, found once per type: looking them up by type
// on every call was a measurable part of a call. Not thread safe (one per connection,
// used on its loop thread).
class FieldCache {
public:
    const ProtocolFields& of(capnp::StructSchema type);

private:
    struct SchemaHash {
        size_t operator()(const capnp::Schema& schema) const { return schema.hashCode(); }
    };
    std::unordered_map<capnp::Schema, ProtocolFields, SchemaHash> m_fields;
};

} // namespace mpjava
