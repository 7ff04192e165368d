#include <mpjava/protocol/call.h>

#include <mpjava/protocol/thread_map.h>

namespace mpjava {

kj::Promise<capnp::Response<capnp::AnyPointer>> SendCall(capnp::Capability::Client& target,
                                                           const capnp::InterfaceSchema::Method& method,
                                                           const ParamsBuilder& build, const Caller* caller,
                                                           const std::shared_ptr<ProtocolState>& threads,
                                                           std::size_t size_hint)
{
    capnp::MessageSize size{size_hint / sizeof(capnp::word) + 8, 0};
    auto request = target.typelessRequest(method.getContainingInterface().getProto().getId(), method.getIndex(), size);
    build(request);
    auto params = request.getAs<capnp::DynamicStruct>(method.getParamType());
    const ProtocolFields& fields = threads->fieldsOf(params.getSchema());
    KJ_IF_MAYBE(context, fields.context) {
        if (caller) threads->callers().fillContext(params, *context, caller->name, caller->waiter);
    }
    for (auto field : fields.thread_maps) {
        // Any ThreadMap-typed param carries this side's map (construct, initThreadMap, ...).
        params.set(field, capnp::Capability::Client(kj::heap<ThreadMapServer>(threads))
                              .castAs<capnp::DynamicCapability>(field.getType().asInterface()));
    }
    return request.send();
}

void AdoptThreadMaps(capnp::DynamicStruct::Reader results, ProtocolState& threads)
{
    for (auto field : threads.fieldsOf(results.getSchema()).thread_maps) {
        if (results.has(field)) threads.callers().setPeerThreadMap(results.get(field).as<capnp::DynamicCapability>());
    }
}

} // namespace mpjava
