#include <mpjava/protocol/fields.h>

#include <mp/proxy.capnp.h>

namespace mpjava {

bool IsContextType(capnp::Type type)
{
    return type.isStruct() && type.asStruct().getProto().getId() == capnp::typeId<mp::Context>();
}

bool IsThreadMapType(capnp::Type type)
{
    return type.isInterface() && type.asInterface().getProto().getId() == capnp::typeId<mp::ThreadMap>();
}

const ProtocolFields& FieldCache::of(capnp::StructSchema type)
{
    auto it = m_fields.find(type);
    if (it != m_fields.end()) return it->second;
    // ID of the `exception` annotation declared in mp/proxy.capnp.
    constexpr uint64_t kExceptionAnnotation = 0x996a183200992f88ull;
    ProtocolFields fields;
    for (auto field : type.getFields()) {
        auto field_type = field.getType();
        if (IsThreadMapType(field_type)) {
            fields.thread_maps.push_back(field);
        } else if (IsContextType(field_type) && fields.context == nullptr) {
            auto context = field_type.asStruct();
            auto thread = context.getFieldByName("thread");
            fields.context = ProtocolFields::Context{field, thread, context.getFieldByName("callbackThread"),
                                                     thread.getType().asInterface()};
        }
        for (auto annotation : field.getProto().getAnnotations()) {
            if (annotation.getId() == kExceptionAnnotation) fields.exception = field;
        }
    }
    return m_fields.emplace(type, kj::mv(fields)).first->second;
}

} // namespace mpjava
