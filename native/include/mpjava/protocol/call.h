// The client side of the protocol for one call (wire-protocol.md §2-§3, §5): who is
// calling, and the request with its Context and ThreadMap fields filled.
#pragma once

#include <mpjava/protocol/protocol_state.h>
#include <mpjava/runtime/worker.h>

#include <capnp/capability.h>
#include <capnp/dynamic.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace mpjava {

// The thread making a call, for its Context: identity, name and waiter.
struct Caller {
    std::thread::id id;
    std::string name;
    std::shared_ptr<Waiter> waiter;
};

// Sends `method` to `target` with params written by `build`; fills Proxy.Context
// params for `caller` from the connection's `threads`. Loop thread only.
// Writes the params struct (of the method's param type) into the request's root.
using ParamsBuilder = std::function<void(capnp::AnyPointer::Builder root)>;
kj::Promise<capnp::Response<capnp::AnyPointer>> SendCall(capnp::Capability::Client& target,
                                                           const capnp::InterfaceSchema::Method& method,
                                                           const ParamsBuilder& build, const Caller* caller,
                                                           const std::shared_ptr<ProtocolState>& threads,
                                                           std::size_t size_hint = 0);

// ThreadMap-typed result fields are the peer's map (any method, by type, as upstream's
// initThreadMap convention): keep it for this connection's Context calls.
void AdoptThreadMaps(capnp::DynamicStruct::Reader results, ProtocolState& threads);

} // namespace mpjava
